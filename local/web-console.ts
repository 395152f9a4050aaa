import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** Where `npm run build:web` writes the console. */
export const defaultConsoleDir = resolve(__dirname, '..', 'web', 'dist');
const webDir = resolve(__dirname, '..', 'web');
/** What the console is built from: a change to any of these makes the build stale. */
const consoleSources = [join(webDir, 'src'), join(webDir, 'index.html'), join(webDir, 'vite.config.mts')];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** The local console's runtime config: sign in by choosing a tenant (`/local/token`). */
const LOCAL_CONFIG = JSON.stringify({ auth: 'local' });

async function newestChange(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestChange(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/** True when `web/dist` is missing or older than a source of the console. */
export async function consoleIsStale(consoleDir = defaultConsoleDir): Promise<boolean> {
  const built = await stat(join(consoleDir, 'index.html')).catch(() => undefined);
  if (!built) return true;
  const sources = await Promise.all(consoleSources.map(newestChange));
  return Math.max(...sources) > built.mtimeMs;
}

/**
 * `npm start` builds the console when it is missing or older than its sources (`npm run build:web`: API types from
 * the OpenAPI document, type check, Vite), so a fresh clone serves it at `/` with no separate step.
 */
export async function buildConsoleIfStale(log: (line: string) => void = console.log): Promise<'fresh' | 'built'> {
  if (!(await consoleIsStale())) return 'fresh';
  log('Building the web console (web/dist is missing or older than web/src)...');
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build:web'], {
      cwd: resolve(__dirname, '..'),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`npm run build:web exited with ${code}`)),
    );
  });
  return 'built';
}

/** Serves the built console: files from `consoleDir`, `index.html` for the app's own paths (client-side routes). */
export interface ConsoleServer {
  /** Handles GET/HEAD of a console path; false for anything else (API and local routes keep priority). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

export function createConsoleServer(consoleDir = defaultConsoleDir): ConsoleServer {
  const root = resolve(consoleDir);
  const sendFile = async (res: ServerResponse, path: string, head: boolean, immutable: boolean) => {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return false;
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': info.size,
      // Hashed asset names never change content; index.html always revalidates so a rebuild shows at once.
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (head) res.end();
    else createReadStream(path).pipe(res);
    return true;
  };
  return {
    async handle(req, res, url) {
      const method = (req.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (url.pathname.startsWith('/v1/') || url.pathname.startsWith('/local/') || url.pathname.startsWith('/admin/')) {
        return false;
      }
      const head = method === 'HEAD';
      let relative: string;
      try {
        relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
      } catch {
        return false;
      }
      const file = resolve(root, relative);
      // Never outside the console's folder (`/../package.json`).
      if (file !== root && !file.startsWith(root + sep)) return false;
      if (relative && (await sendFile(res, file, head, relative.startsWith(`assets${sep}`)))) return true;
      if (relative === 'config.json') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
        res.end(head ? undefined : LOCAL_CONFIG);
        return true;
      }
      // A missing file (has an extension) is a 404; any other path is one of the app's pages.
      if (extname(relative)) return false;
      const accept = req.headers.accept ?? '*/*';
      if (!accept.includes('text/html') && !accept.includes('*/*')) return false;
      return sendFile(res, join(root, 'index.html'), head, false);
    },
  };
}
