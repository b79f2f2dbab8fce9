/**
 * `startDemo()`: the demo site running on one `node:http` server and port,
 * which carries
 *   - the site (`app.ts`): the SendAuth proxy at /sendauth, the cookie
 *     session (`session.ts`, set through the proxy's `onVerified`), the
 *     drop-in page's plain files,
 *   - every other page through Vite in middleware mode, with the elements
 *     resolved from `src/` so edits hot-reload (HMR on the same port).
 * SendAuth itself is the local emulator unless a real one is given.
 *
 * The tests and the screenshot script start it in-process; `npm start` is `cli.ts`.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener, RequestError, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createServer as createViteServer } from 'vite';
import { startEmulator, type RunningEmulator } from '../src/emulator/index.js';
import { createSendAuthProxy, SendAuthClient } from '../src/server.js';
import type { ErrorBody } from '../src/wire.js';
import { createDemoApp, PROXY_BASE_PATH, SECURITY_HEADERS, type DemoApp } from './app.js';
import { ensureDropInBundle } from './drop-in-bundle.js';
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
  /**
   * Run the emulator as SendAuth's public spec only (`ceremonyEndpoints: false`): every sign-in,
   * sign-up and passkey is then approved on the person's own device, through the outbox's links.
   * @default false
   */
  approvalOnly?: boolean;
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
  /** The emulator's outbox page (its notifications), when the demo started one. */
  outboxUrl?: string;
  /** Stops the server (dropping open connections), Vite and the emulator. */
  close(): Promise<void>;
}

/**
 * Starts the demo site.
 * @throws Error when the port is taken (naming another to try), or when Vite, the emulator or the drop-in build fails; whatever had started is stopped first.
 */
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
      emulator = await startEmulator({
        port: 0,
        ceremonyEndpoints: !options.approvalOnly,
        ...(options.dataFile ? { dataFile: options.dataFile } : {}),
        // As SendAuth would send it: the link a person opens on their own device.
        onNotification: (entry) => log(`  Notification (${entry.kind}) for ${entry.email ?? entry.phone ?? entry.userId}: ${entry.link}`),
      });
      const running = emulator;
      cleanups.push(() => running.close());
      // The emulator's defaults; it only listens on loopback.
      sendauth = { baseUrl: emulator.url, username: 'sendauth', password: 'sendauth-emulator' };
    }

    const session = createSessionCookies(options.sessionSecret ? { secret: options.sessionSecret } : {});
    const client = new SendAuthClient(sendauth);
    const proxy = createSendAuthProxy({
      sendauth: client,
      // Named in the notification with the code: "Sign in to Harbor from Chrome on Linux…".
      approval: { siteName: 'Harbor' },
      basePath: PROXY_BASE_PATH,
      allowSignup: true,
      getSessionUserId: (request) => session.read(request.headers.get('cookie')),
      onVerified: ({ userId }) => ({ 'Set-Cookie': session.issue(userId) }),
    });

    const httpServer = createHttpServer();
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        }),
    );

    const vite = await createViteServer({
      configFile: false,
      root: demoDir,
      // The site routes the pages (app.ts) and asks Vite for their HTML; Vite serves what they load.
      appType: 'custom',
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

    const outboxUrl = emulator?.outboxUrl;
    httpServer.on('request', toRequestListener(createDemoApp({ proxy, session, vite, sendauth: client, ...(outboxUrl ? { outboxUrl } : {}) })));

    const port = await listen(httpServer, options.port ?? 5173, options.host ?? '127.0.0.1');
    return {
      url: `http://localhost:${port}`,
      port,
      sendauthUrl: sendauth.baseUrl,
      ...(emulator ? { emulator, outboxUrl: emulator.outboxUrl } : {}),
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * The site as a `node:http` request listener. A request Node cannot turn into
 * a Fetch Request (a bad Host header, say) still gets the JSON error shape.
 */
function toRequestListener(app: DemoApp): ReturnType<typeof getRequestListener> {
  return getRequestListener(
    async (request, env) => {
      const { outgoing } = env as HttpBindings; // node:http, never HTTP/2, here
      const response = await app.fetch(request, env);
      // Vite wrote its answer to Node's response itself. Hono answers HEAD with a copy of the GET
      // answer, and node-server honours RESPONSE_ALREADY_SENT only on that very object: say it again.
      return outgoing.headersSent ? RESPONSE_ALREADY_SENT : response;
    },
    {
      errorHandler: (error) => {
        const unreadable = error instanceof RequestError;
        const body: ErrorBody = unreadable
          ? { error: { code: 'invalid-request', message: `The request could not be read: ${error.message}.` } }
          : { error: { code: 'upstream', message: 'The demo could not complete this request.' } };
        return Response.json(body, { status: unreadable ? 400 : 500, headers: { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' } });
      },
    },
  );
}

function listen(server: Server, port: number, host: string): Promise<number> {
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
