import { startLocalStack } from './local-stack';
import { localTimeFromEnv, openStackClock } from './stack-clock';
import { buildConsoleIfStale } from './web-console';

/** `npm start`: the local stack on $PORT (default 3000) with data under $DATA_DIR (default .data/). */
async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const dataDir = process.env.DATA_DIR ?? '.data';
  let startAt: number | undefined;
  try {
    startAt = localTimeFromEnv();
  } catch (error) {
    console.error(`The local stack did not start: ${(error as Error).message}`);
    process.exit(2);
  }
  // WEB_BUILD=off skips the console's build (the API alone, or a console served by `npm run dev:web`).
  if (process.env.WEB_BUILD !== 'off') {
    try {
      await buildConsoleIfStale();
    } catch (error) {
      console.error(`The web console did not build (${(error as Error).message}); the API starts without it.`);
    }
  }
  const clock = await openStackClock(dataDir, startAt);
  const stack = await startLocalStack({ port, dataDir, clock });
  await stack.numbers.ensureNumber('demo');
  const token = await stack.auth.sign('demo');
  console.log(`SMS engine local stack ready at ${stack.url} (data in ${dataDir})`);
  console.log(`Web console: ${stack.url}/ (sign in as "demo", or open ${stack.url}/?tenant=demo)`);
  console.log(`OpenAPI document: ${stack.url}/v1/openapi.json`);
  if (startAt !== undefined || Math.abs(clock.offset) > 1000) {
    console.log(
      `The stack's clock reads ${clock.now().toISOString()} (${startAt !== undefined ? 'LOCAL_TIME' : `continued from the last run; set LOCAL_TIME or delete ${dataDir}/clock.json to change it`}); move it forward with POST ${stack.url}/local/clock {"advance":"PT2H"}`,
    );
  }
  // demo:load reads PORT (or API_URL) too: the hint names the port this stack is on.
  console.log(`Load the demo tenant with: ${port === 3000 ? '' : `PORT=${new URL(stack.url).port} `}npm run demo:load`);
  console.log('Try it:');
  console.log(
    `  TOKEN=$(curl -s -X POST ${stack.url}/local/token -d '{"tenantId":"demo"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`,
  );
  console.log(`  curl -s ${stack.url}/v1/contacts -H "Authorization: Bearer $TOKEN"`);
  console.log(`A token for tenant "demo", valid 12 h: ${token}`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    await stack.stop();
    console.log('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof Error && error.name === 'DataDirInUseError') {
    console.error(`The local stack did not start: ${error.message}`);
    process.exit(2);
  }
  console.error('The local stack failed to start:', error);
  process.exit(1);
});
