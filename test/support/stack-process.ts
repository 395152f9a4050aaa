import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createHttpClient, type HttpClient } from './http-client';

/** `npm start` as a process of its own (its own process group, so a kill takes dynalite with it). */
export interface StackProcess {
  url: string;
  /** A client for `tenantId`, with a token from `/local/token` (what a user does). */
  clientFor(tenantId: string): Promise<HttpClient>;
  /** SIGKILL to the whole process group: nothing runs a shutdown hook, nothing is flushed. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the clean stop. */
  stop(): Promise<void>;
  output(): string;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });

/** Starts `local/main.ts` on a free port with `env` (DATA_DIR, LOCAL_TIME, SIM_MPS...) and waits for its banner. */
export async function startStackProcess(env: Record<string, string>, readyWithinPolls = 600): Promise<StackProcess> {
  const port = await freePort();
  const root = resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: root,
    // The API alone (WEB_BUILD=off): a restart must not wait for a console build when web/src was just edited.
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      WEB_BUILD: 'off',
      ...env,
      PORT: String(port),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let polls = readyWithinPolls; !output.includes('local stack ready at'); polls--) {
    if (polls <= 0 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the stack did not start: ${output.slice(-2000)}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  return {
    url,
    async clientFor(tenantId) {
      const response = await fetch(`${url}/local/token`, { method: 'POST', body: JSON.stringify({ tenantId }) });
      const { token } = (await response.json()) as { token: string };
      return createHttpClient(url, token);
    },
    async kill() {
      killGroup('SIGKILL');
      await exited(child);
    },
    async stop() {
      killGroup('SIGTERM');
      await exited(child);
    },
    output: () => output,
  };
}
