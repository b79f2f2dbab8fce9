/**
 * The demo site: `npm start`.
 *
 * One node:http server on http://localhost:PORT carries
 *   - the SendAuth proxy at /sendauth (the package's `createSendAuthProxy`),
 *   - the site's own cookie session (`session.ts`), set through the proxy's
 *     `onVerified`, told to pages by `GET /session` and cleared by `POST /logout`,
 *   - the drop-in page, served as plain files with no bundler involved,
 *   - every other page through Vite in middleware mode, with the elements
 *     resolved from `src/` so edits hot-reload.
 * SendAuth itself is the local emulator unless SENDAUTH_URL,
 * SENDAUTH_USERNAME and SENDAUTH_PASSWORD name a real one.
 *
 * `startDemo()` is what the tests and the screenshot script start in-process;
 * the command-line part at the bottom only runs when this file is the entry point.
 */
import { readFile, realpath } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { createSendAuthProxy, toNodeListener } from '../src/server.js';
import { DROP_IN_FILE, ensureDropInBundle } from './drop-in-bundle.js';
import { createSessionCookies } from './session.js';

const demoDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(demoDir, '..');

export interface DemoOptions {
  /** Port to listen on; `0` picks a free one. @default 5173 */
  port?: number;
  /** Interface to listen on. Passkeys need the page at `http://localhost`, so the printed URL always says localhost. @default '127.0.0.1' */
  host?: string;
  /** A real SendAuth to use instead of starting the emulator. */
  sendauth?: { baseUrl: string; username: string; password: string };
  /** Where the emulator keeps its accounts, so they survive a restart. @default in memory only */
  dataFile?: string;
  /** HMAC key of the session cookie. @default random per start (sessions end on restart) */
  sessionSecret?: string;
  /** Vite's dependency cache; give each concurrently running demo its own. @default node_modules/.vite/demo */
  viteCacheDir?: string;
  /** Build `dist/sendauth-elements.iife.js` when it is missing, for the drop-in page. @default true */
  buildDropIn?: boolean;
  /** Vite's and the demo's chattiness. @default 'info' */
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}

export interface RunningDemo {
  /** The site, e.g. `http://localhost:5173`. */
  url: string;
  port: number;
  /** The SendAuth the proxy talks to (the emulator's URL unless a real one was given). */
  sendauthUrl: string;
  /** The emulator, when the demo started one. */
  emulator?: RunningEmulator;
  close(): Promise<void>;
}

/** Pages and assets are all same-origin files: nothing inline, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The drop-in page and its files, served as they are (no Vite), as a site without a bundler would. */
const PLAIN_FILES: Record<string, { file: () => string; type: string }> = {
  '/drop-in': { file: () => path.join(demoDir, 'drop-in.html'), type: 'text/html; charset=utf-8' },
  '/drop-in.html': { file: () => path.join(demoDir, 'drop-in.html'), type: 'text/html; charset=utf-8' },
  '/drop-in.js': { file: () => path.join(demoDir, 'drop-in.js'), type: 'text/javascript; charset=utf-8' },
  [`/${DROP_IN_FILE}`]: { file: () => path.join(repoRoot, 'dist', DROP_IN_FILE), type: 'text/javascript; charset=utf-8' },
};

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const logLevel = options.logLevel ?? 'info';
  const log = (line: string): void => {
    if (logLevel === 'info') console.log(line);
  };

  if (options.buildDropIn ?? true) await ensureDropInBundle(repoRoot, log);

  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };

  try {
    let emulator: RunningEmulator | undefined;
    let sendauth = options.sendauth;
    if (!sendauth) {
      emulator = await startEmulator({ port: 0, ...(options.dataFile ? { dataFile: options.dataFile } : {}) });
      const running = emulator;
      cleanups.push(() => running.close());
      // The emulator's defaults; it only listens on loopback.
      sendauth = { baseUrl: emulator.url, username: 'sendauth', password: 'sendauth-emulator' };
    }

    const session = createSessionCookies(options.sessionSecret ? { secret: options.sessionSecret } : {});
    const proxy = createSendAuthProxy({
      sendauth,
      basePath: '/sendauth',
      allowSignup: true,
      getSessionUserId: (request) => session.read(request.headers.get('cookie')),
      onVerified: ({ userId }) => ({ 'Set-Cookie': session.issue(userId) }),
    });
    const proxyListener = toNodeListener(proxy);

    const httpServer = createHttpServer();
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        }),
    );

    const vite: ViteDevServer = await createViteServer({
      configFile: false,
      root: demoDir,
      appType: 'mpa',
      logLevel: logLevel === 'info' ? 'info' : logLevel,
      clearScreen: false,
      cacheDir: options.viteCacheDir ?? path.join(repoRoot, 'node_modules', '.vite', 'demo'),
      // Found by Vite's own scan too; named so a first visit never waits for a re-optimisation and reload.
      optimizeDeps: { include: ['lit', 'lit/decorators.js', '@simplewebauthn/browser'] },
      server: {
        middlewareMode: true,
        // HMR on this same server and port: no second port to collide with another demo.
        hmr: { server: httpServer },
        // The pages import the elements from ../src.
        fs: { allow: [repoRoot] },
      },
    });
    cleanups.push(() => vite.close());

    httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'same-origin');

      if (pathname === '/sendauth' || pathname.startsWith('/sendauth/')) {
        void proxyListener(req, res);
        return;
      }
      if (pathname === '/session') {
        // Whether the visitor is signed in, without a 401: the session cookie is HttpOnly, so
        // pages ask here before `GET /sendauth/me` (which answers 401 to a visitor without one).
        res.setHeader('Cache-Control', 'no-store');
        sendJson(res, 200, { signedIn: session.read(req.headers.cookie) !== undefined });
        return;
      }
      if (pathname === '/logout') {
        logout(req, res, session.clear());
        return;
      }
      const plain = PLAIN_FILES[pathname];
      if (plain) {
        void sendFile(req, res, plain.file(), plain.type);
        return;
      }
      vite.middlewares(req, res, () => sendJson(res, 404, { error: { code: 'invalid-request', message: `No such page: ${pathname}` } }));
    });

    const port = await listen(httpServer, options.port ?? 5173, options.host ?? '127.0.0.1');
    const url = `http://localhost:${port}`;
    return {
      url,
      port,
      sendauthUrl: sendauth.baseUrl,
      ...(emulator ? { emulator } : {}),
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * `POST /logout`: the same CSRF rule as the proxy (JSON, and an Origin that is
 * this site), then the session cookie is cleared.
 */
function logout(req: IncomingMessage, res: ServerResponse, clearCookie: string): void {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendJson(res, 405, { error: { code: 'invalid-request', message: 'Sign out with POST /logout.' } });
    return;
  }
  const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  const ownOrigin = `http://${req.headers.host ?? ''}`;
  if (mediaType !== 'application/json' || req.headers.origin !== ownOrigin) {
    sendJson(res, 403, { error: { code: 'forbidden', message: 'Sign-out requests must come from this site.' } });
    return;
  }
  // The body carries nothing; drain it so the connection can be reused.
  req.resume();
  res.setHeader('Set-Cookie', clearCookie);
  res.setHeader('Cache-Control', 'no-store');
  sendJson(res, 200, { signedOut: true });
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, type: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendJson(res, 405, { error: { code: 'invalid-request', message: `${req.method} is not allowed here.` } });
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    sendJson(res, 404, { error: { code: 'invalid-request', message: `Not found: ${path.basename(file)}` } });
    return;
  }
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function listen(server: ReturnType<typeof createHttpServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is already in use. Start the demo on another one, e.g. PORT=5174 npm start.`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

// ── command line: `npm start` ───────────────────────────────────────────────

/** Reads the demo's settings from the environment; throws a readable error for a half-set SendAuth. */
function optionsFromEnvironment(env: NodeJS.ProcessEnv): DemoOptions {
  const port = env.PORT === undefined || env.PORT === '' ? 5173 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}.`);

  const real = { SENDAUTH_URL: env.SENDAUTH_URL, SENDAUTH_USERNAME: env.SENDAUTH_USERNAME, SENDAUTH_PASSWORD: env.SENDAUTH_PASSWORD };
  const given = Object.entries(real).filter(([, value]) => value);
  if (given.length > 0 && given.length < 3) {
    const missing = Object.entries(real)
      .filter(([, value]) => !value)
      .map(([name]) => name);
    throw new Error(`To use a real SendAuth set all of SENDAUTH_URL, SENDAUTH_USERNAME and SENDAUTH_PASSWORD (missing: ${missing.join(', ')}).`);
  }

  return {
    port,
    ...(env.HOST ? { host: env.HOST } : {}),
    ...(given.length === 3
      ? { sendauth: { baseUrl: real.SENDAUTH_URL ?? '', username: real.SENDAUTH_USERNAME ?? '', password: real.SENDAUTH_PASSWORD ?? '' } }
      : { dataFile: env.SENDAUTH_DATA_FILE || path.join(repoRoot, '.sendauth-data.json') }),
    ...(env.SESSION_SECRET ? { sessionSecret: env.SESSION_SECRET } : {}),
    ...(env.DEMO_VITE_CACHE_DIR ? { viteCacheDir: env.DEMO_VITE_CACHE_DIR } : {}),
  };
}

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    options = optionsFromEnvironment(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return;
  }

  let demo: RunningDemo;
  try {
    demo = await startDemo(options);
  } catch (error) {
    console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }

  const where = demo.emulator
    ? [
        `  SendAuth: the local emulator at ${demo.emulator.url}; accounts are kept in ${options.dataFile ?? 'memory'}.`,
        '  To use a real SendAuth instead, set SENDAUTH_URL, SENDAUTH_USERNAME and SENDAUTH_PASSWORD.',
      ]
    : [`  SendAuth: ${demo.sendauthUrl} (from SENDAUTH_URL; no emulator started).`];
  console.log(['', `  SendAuth elements demo: ${demo.url}`, '', ...where, '  Press Ctrl+C to stop.', ''].join('\n'));

  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(await realpath(entry).catch(() => entry)).href) {
  await main();
}
