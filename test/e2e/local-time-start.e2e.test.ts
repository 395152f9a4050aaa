import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** `npm start` as a person runs it: the real entry point in its own process. */
const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Started {
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<{ code: number | null; stderr: string; stdout: string }>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(TSX, ['local/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'WARN',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = new Promise<string>((resolveUrl, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (ready) resolveUrl(ready[1] as string);
    });
    child.once('exit', () => reject(new Error(`the stack exited before it was ready: ${stderr}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolveExit) => {
    child.once('exit', (code) => resolveExit({ code, stderr, stdout }));
  });
  return { child, url, exited };
}

async function clockOf(url: string): Promise<number> {
  const response = await fetch(`${url}/local/clock`);
  expect(response.status).toBe(200);
  return Date.parse(((await response.json()) as { now: string }).now);
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sms-local-time-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start with LOCAL_TIME', () => {
  it('a LOCAL_TIME that does not parse stops the start with a message naming the variable', async () => {
    const started = start({ LOCAL_TIME: 'next tuesday', DATA_DIR: join(dataDir, 'bad') });
    const { code, stderr } = await started.exited;
    expect(code).toBe(2);
    expect(stderr).toContain('LOCAL_TIME');
    expect(stderr).toContain('next tuesday');
  });

  it('starts the clock at LOCAL_TIME, moves it on request, refuses a second stack on its data, and a restart goes on from there', async () => {
    // Arrange
    const localTime = Date.parse('2026-12-01T19:00:00Z');
    const first = start({ LOCAL_TIME: '2026-12-01T14:00:00-05:00', DATA_DIR: dataDir });
    const url = await first.url;

    // Act
    const atStart = await clockOf(url);
    const moved = await fetch(`${url}/local/clock`, { method: 'POST', body: JSON.stringify({ advance: 'P1D' }) });
    const afterMove = await clockOf(url);
    const second = start({ DATA_DIR: dataDir });
    const refused = await second.exited;
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    const restarted = start({ DATA_DIR: dataDir });
    const afterRestart = await clockOf(await restarted.url);
    restarted.child.kill('SIGTERM');
    await restarted.exited;

    // Assert: it starts where it was told (it runs at real speed, hence the minutes of slack for a slow start)
    expect(atStart).toBeGreaterThanOrEqual(localTime);
    expect(atStart).toBeLessThan(localTime + 5 * 60_000);
    expect(moved.status).toBe(200);
    expect(afterMove).toBeGreaterThanOrEqual(localTime + 86_400_000);
    // A second stack on the folder in use is refused with a message that says so; the restart after the first stops works.
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('in use by another local stack');
    expect(afterRestart).toBeGreaterThanOrEqual(afterMove);
    expect(afterRestart).toBeLessThan(localTime + 86_400_000 + 10 * 60_000);
  });
});
