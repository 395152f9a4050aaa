import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The README's walk-through as a test runs it: the shell blocks marked `<!-- walkthrough -->` (a marker line right
 * before a ```bash fence), cut into whole shell commands, run in order by one bash, with each command's output and
 * the HTTP answers of the curl calls it made.
 */

/** The line that marks the next ```bash block as part of the walk-through. */
export const WALKTHROUGH_MARKER = '<!-- walkthrough -->';

/** One shell command as written in the README (continuation lines, multi-line quotes and loops included). */
export interface WalkthroughCommand {
  /** 0-based position in the walk-through. */
  index: number;
  /** The command as written, without the comment lines before it. */
  source: string;
  /** The README line it starts on (1-based), for messages. */
  line: number;
}

/** What running one command gave. */
export interface CommandRun extends WalkthroughCommand {
  stdout: string;
  exitCode: number;
  /** Every HTTP answer to a curl call the command made, in order. */
  http: { status: number; method: string; url: string }[];
}

/** The ```bash blocks right after a marker line, with the README line their first line is on. */
export function markedBlocks(readme: string): { text: string; firstLine: number }[] {
  const lines = readme.split('\n');
  const blocks: { text: string; firstLine: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== WALKTHROUGH_MARKER) continue;
    if (lines[i + 1]?.trim() !== '```bash') {
      throw new Error(`README line ${i + 1}: ${WALKTHROUGH_MARKER} must be followed by a \`\`\`bash fence`);
    }
    const end = lines.findIndex((line, at) => at > i + 1 && line.trim() === '```');
    if (end < 0) throw new Error(`README line ${i + 2}: the walk-through block is not closed`);
    blocks.push({ text: lines.slice(i + 2, end).join('\n'), firstLine: i + 3 });
    i = end;
  }
  return blocks;
}

/** True when bash can parse `text` as whole commands (no open quote, continuation, loop or substitution). */
function isComplete(text: string): boolean {
  if (/\\\s*$/.test(text)) return false;
  return spawnSync('bash', ['-n'], { input: `${text}\n`, stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;
}

/**
 * Cuts the marked blocks into commands the way a person pastes them: a command ends at the first line after which
 * bash can parse it whole (bash itself decides, so quotes spanning lines, `\` continuations and loops stay together).
 * Comment lines and blank lines between commands are dropped.
 */
export function extractWalkthrough(readme: string): WalkthroughCommand[] {
  const commands: WalkthroughCommand[] = [];
  for (const block of markedBlocks(readme)) {
    let pending: string[] = [];
    let startLine = 0;
    block.text.split('\n').forEach((line, offset) => {
      if (pending.length === 0) {
        if (line.trim() === '' || line.trim().startsWith('#')) return;
        startLine = block.firstLine + offset;
      }
      pending.push(line);
      const source = pending.join('\n');
      if (isComplete(source)) {
        commands.push({ index: commands.length, source, line: startLine });
        pending = [];
      }
    });
    if (pending.length > 0) throw new Error(`README line ${startLine}: a walk-through command never ends`);
  }
  return commands;
}

/**
 * The shell the commands run in: curl reports each answer's status on a side channel (stdout stays what the README's
 * pipes read) and refuses any address but 127.0.0.1, so the walk-through can only ever talk to the local stack.
 */
const PRELUDE = `
curl() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      http://127.0.0.1:*) ;;
      http:* | https:* | *://*) echo "walkthrough: refused to call $arg" >&2; return 7 ;;
    esac
  done
  command curl -w '%{stderr}@@HTTP %{http_code} %{method} %{url_effective}\\n' "$@"
}
`;

/** How often the test looks for the shell's "command done" mark. */
const POLL_MS = 20;

/**
 * Runs the commands in order in one bash (so variables carry from one to the next, as in a terminal). After each
 * command the shell waits while `after` looks at what it gave (and, e.g., lets the stack finish what the command
 * started, as it would while a person reads the answer and types the next command); a command still running after
 * `commandTimeoutMs` (counted in polls) fails the run, naming it. Resolves with every command's run, in order.
 */
export async function runWalkthrough(
  commands: readonly WalkthroughCommand[],
  options: {
    cwd: string;
    env?: Record<string, string>;
    commandTimeoutMs: number;
    after?: (run: CommandRun) => Promise<void>;
  },
): Promise<CommandRun[]> {
  const dir = await mkdtemp(join(tmpdir(), 'walkthrough-'));
  const file = (index: number, ext: string) => join(dir, `${index}.${ext}`);
  const script = [
    PRELUDE,
    ...commands.map(({ index, source }) =>
      [
        `{\n${source}\n} > "${file(index, 'out')}" 2> "${file(index, 'err')}"`,
        `echo $? > "${file(index, 'rc.tmp')}" && mv "${file(index, 'rc.tmp')}" "${file(index, 'rc')}"`,
        `until [ -e "${file(index, 'go')}" ]; do sleep 0.02; done`,
      ].join('\n'),
    ),
  ].join('\n');
  await writeFile(join(dir, 'walkthrough.sh'), script);
  const child = spawn('bash', [join(dir, 'walkthrough.sh')], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: 'ignore',
    detached: true,
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const runs: CommandRun[] = [];
  try {
    for (const command of commands) {
      const rc = await pollFor(file(command.index, 'rc'), options.commandTimeoutMs, () => exited);
      if (rc === undefined) {
        throw new Error(
          `README line ${command.line} did not finish in ${options.commandTimeoutMs} ms:\n${command.source}`,
        );
      }
      const [stdout, stderr] = await Promise.all(
        ['out', 'err'].map((ext) => readFile(file(command.index, ext), 'utf8').catch(() => '')),
      );
      const http = [...(stderr ?? '').matchAll(/^@@HTTP (\d{3}) (\S+) (\S+)$/gm)].map((match) => ({
        status: Number(match[1]),
        method: match[2] as string,
        url: match[3] as string,
      }));
      const run: CommandRun = { ...command, stdout: stdout ?? '', exitCode: Number(rc.trim()), http };
      runs.push(run);
      await options.after?.(run);
      await writeFile(file(command.index, 'go'), '');
    }
    return runs;
  } finally {
    if (!exited && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

/** The file's text once it exists; undefined after `timeoutMs` worth of polls, or once `gone()` says it never will. */
async function pollFor(path: string, timeoutMs: number, gone: () => boolean): Promise<string | undefined> {
  for (let polls = Math.ceil(timeoutMs / POLL_MS); polls > 0; polls--) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) return text;
    if (gone()) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return undefined;
}
