/**
 * The server side of the browser tests: a real emulator (SendAuth), real
 * proxies mounted into the WTR dev server, and `sendauth:*` commands to set
 * up users, move the emulator's clock and render elements on the server. Payloads and results in
 * `protocol.ts`, typed wrappers in `commands.ts`.
 *
 * Use both halves: `middleware` in the config's `middleware` (it must run
 * before WTR's static file serving) and `plugin` in `plugins` (it starts and
 * stops the stack with the dev server and answers the commands).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Middleware } from 'koa';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { SendAuthClient, createSendAuthProxy, toNodeListener, type SendAuthProxyOptions } from '../../../src/server.js';
import {
  ENDPOINTS,
  LIMITED_WINDOW_MS,
  SESSION_COOKIE,
  type CreateUserPayload,
  type CreatedUser,
  type StackInfo,
  type VerifiedEventRecord,
} from './protocol.js';

type NodeListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** API account of the test emulator; random per run, so nothing can depend on it. */
const API_USERNAME = 'wtr-site';
const API_PASSWORD = `wtr-${randomUUID()}`;

/** The test-only site session: a cookie naming the signed-in SendAuth user. */
function readSessionUserId(request: Request): string | undefined {
  const cookies = request.headers.get('cookie') ?? '';
  for (const pair of cookies.split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('=')) || undefined;
  }
  return undefined;
}

/** A port on this machine that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SendAuthStack {
  middleware: Middleware;
  plugin: TestRunnerPlugin;
}

export function sendAuthStack(): SendAuthStack {
  let clockOffsetMs = 0;
  let emulator: RunningEmulator | undefined;
  let client: SendAuthClient | undefined;
  let unreachablePort = 0;
  const mounts = new Map<string, NodeListener>();
  const verifiedEvents: VerifiedEventRecord[] = [];

  function proxy(endpoint: string, sendauth: SendAuthProxyOptions['sendauth'], options: Partial<SendAuthProxyOptions>): NodeListener {
    return toNodeListener(
      createSendAuthProxy({
        sendauth,
        basePath: endpoint,
        getSessionUserId: readSessionUserId,
        // Like a real site: a verified ceremony opens the session of the user SendAuth verified.
        onVerified: ({ userId, kind, tx }) => {
          verifiedEvents.push({ endpoint, userId, kind, tx });
          return { 'set-cookie': `${SESSION_COOKIE}=${encodeURIComponent(userId)}; Path=/; SameSite=Strict` };
        },
        ...options,
      }),
    );
  }

  function apiSettings(): SendAuthProxyOptions['sendauth'] {
    if (!emulator) throw new Error('the emulator is not running');
    return { baseUrl: emulator.url, username: API_USERNAME, password: API_PASSWORD };
  }

  /** `/limited` alone, so its counter can be reset without dropping other proxies' TXs. */
  function mountLimitedProxy(): void {
    // A short window, so a test can watch the element count the wait down to the end.
    mounts.set(ENDPOINTS.limited, proxy(ENDPOINTS.limited, apiSettings(), { rateLimit: { limit: 1, windowMs: LIMITED_WINDOW_MS } }));
  }

  function mountProxies(): void {
    const generous = { limit: 1000, ipLimit: 1000 };
    mounts.set(ENDPOINTS.main, proxy(ENDPOINTS.main, apiSettings(), { allowSignup: true, rateLimit: generous }));
    mounts.set(ENDPOINTS.noSignup, proxy(ENDPOINTS.noSignup, apiSettings(), { rateLimit: generous }));
    mountLimitedProxy();
    const down = { baseUrl: `http://127.0.0.1:${unreachablePort}`, username: API_USERNAME, password: API_PASSWORD, timeoutMs: 2_000 };
    // Its failures are provoked on purpose: not worth a stack trace in the test log.
    mounts.set(ENDPOINTS.down, proxy(ENDPOINTS.down, down, { allowSignup: true, rateLimit: false, onError: () => {} }));
  }

  const middleware: Middleware = async (ctx, next) => {
    const listener = mounts.get(`/${ctx.path.split('/')[1] ?? ''}`);
    if (!listener) return next();
    // Koa must not touch the response: the proxy's Node adapter writes it.
    ctx.respond = false;
    try {
      await listener(ctx.req, ctx.res);
    } catch (error) {
      console.error(`test proxy failed on ${ctx.method} ${ctx.path}:`, error);
      if (!ctx.res.headersSent) ctx.res.writeHead(500, { 'content-type': 'application/json' });
      ctx.res.end(JSON.stringify({ error: { code: 'upstream', message: 'test proxy failed' } }));
    }
  };

  function requireClient(): SendAuthClient {
    if (!client) throw new Error('the SendAuth stack is not running');
    return client;
  }

  const plugin: TestRunnerPlugin = {
    name: 'sendauth-stack',
    async serverStart() {
      unreachablePort = await closedPort();
      emulator = await startEmulator({
        port: 0,
        username: API_USERNAME,
        password: API_PASSWORD,
        now: () => Date.now() + clockOffsetMs,
      });
      client = new SendAuthClient({ baseUrl: emulator.url, username: API_USERNAME, password: API_PASSWORD });
      mountProxies();
    },
    async serverStop() {
      mounts.clear();
      await emulator?.close();
      emulator = undefined;
    },
    async executeCommand({ command, payload }) {
      if (!command.startsWith('sendauth:')) return undefined;
      switch (command) {
        case 'sendauth:create-user': {
          const input = (payload ?? {}) as CreateUserPayload;
          const firstName = input.firstName ?? 'Test';
          const lastName = input.lastName ?? 'Visitor';
          const email = input.email ?? `visitor-${randomUUID()}@example.com`;
          const user = await requireClient().createUser({ firstName, lastName, email });
          if (!user.id) throw new Error('sendauth:create-user: the emulator returned a user without an id');
          return { userId: user.id, email, firstName, lastName } satisfies CreatedUser;
        }
        case 'sendauth:user': {
          const { userId } = (payload ?? {}) as { userId?: unknown };
          if (typeof userId !== 'string') throw new Error('sendauth:user: payload { userId: string } expected');
          return await requireClient().getUser(userId);
        }
        case 'sendauth:advance-clock': {
          const { ms } = (payload ?? {}) as { ms?: unknown };
          if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new Error('sendauth:advance-clock: payload { ms: number } expected');
          clockOffsetMs += ms;
          return { offsetMs: clockOffsetMs };
        }
        case 'sendauth:reset-clock':
          clockOffsetMs = 0;
          return { offsetMs: 0 };
        case 'sendauth:reset-rate-limit':
          // A fresh `/limited` proxy: a fresh in-memory counter.
          mountLimitedProxy();
          return { reset: true };
        case 'sendauth:verified-events': {
          const { tx } = (payload ?? {}) as { tx?: unknown };
          return typeof tx === 'string' ? verifiedEvents.filter((event) => event.tx === tx) : [...verifiedEvents];
        }
        case 'sendauth:ssr-render': {
          // Rendered here, in Node, as a site's server would: @lit-labs/ssr (test/support/ssr-render.ts).
          const { markup } = (payload ?? {}) as { markup?: unknown };
          if (typeof markup !== 'string') throw new Error('sendauth:ssr-render: payload { markup: string } expected');
          const { renderElements } = await import('../../support/ssr-render.js');
          return { html: await renderElements(markup) };
        }
        case 'sendauth:info':
          return {
            unreachableEndpoint: `http://localhost:${unreachablePort}/sendauth`,
            endpoints: ENDPOINTS,
            rpId: 'localhost',
          } satisfies StackInfo;
        default:
          throw new Error(`Unknown command ${command}`);
      }
    },
  };

  return { middleware, plugin };
}
