/**
 * The demo site as a Hono app, for Node (`@hono/node-server`'s `HttpBindings`):
 *   - the SendAuth proxy mounted at `/sendauth`, told the client's IP,
 *   - `GET /session` and `POST /logout`, the site's own cookie session
 *     (`/logout` under the proxy's own CSRF rule, `checkCsrf`),
 *   - `POST /account/email`, a step-up: it changes the signed-in user's
 *     email only once they approved exactly that on their own device
 *     (`<sendauth-approve>`, confirmed with `proxy.confirmApproval`),
 *   - `GET /outbox`, a redirect to the emulator's outbox (when it runs one),
 *   - the pages: each `demo/*.html` at `/name` and `/name.html` (`index.html`
 *     at `/`), through Vite's `transformIndexHtml`, except the drop-in page's
 *     plain files, which are served as they are,
 *   - the pages' modules and assets from Vite's middleware (`handOver`),
 *   - the security headers on every answer (`serving.ts`), and every error as the proxy's
 *     `{ error: { code, message } }`: 404 for an unknown path, 405 with
 *     `Allow` for a known path and another method.
 * A new page is a new HTML file in `demo/`; a new endpoint is one more
 * `route(...)` line in `createDemoApp`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type Context, type Handler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { mount } from 'hono/mount';
import { checkCsrf, ProxyRefusal, type SendAuthClient, type SendAuthProxy } from '../src/server.js';
import { isUuid, normalizeEmail } from '../src/field-rules.js';
import type { ErrorBody } from '../src/wire.js';
import { DROP_IN_FILE } from './drop-in-bundle.js';
import { emailChangeMessage } from './email-change.js';
import { handOver, page, plainFile, securityHeaders, type DemoEnv, type PageServer } from './serving.js';
import type { SessionCookies } from './session.js';

export type { DemoEnv, NodeMiddleware, PageServer } from './serving.js';
export { SECURITY_HEADERS } from './serving.js';

const demoDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(demoDir, '..');

export type DemoApp = Hono<DemoEnv>;

/** Where the proxy is mounted; `createSendAuthProxy` must be given the same `basePath`. */
export const PROXY_BASE_PATH = '/sendauth';

/** The drop-in page and its files (path → file), served as they are, as a site without a bundler would. */
const PLAIN_FILES: Readonly<Record<string, string>> = {
  '/drop-in': path.join(demoDir, 'drop-in.html'),
  '/drop-in.html': path.join(demoDir, 'drop-in.html'),
  '/drop-in.js': path.join(demoDir, 'drop-in.js'),
  [`/${DROP_IN_FILE}`]: path.join(repoRoot, 'dist', DROP_IN_FILE),
};

/** The pages Vite serves (path → HTML file): every other `demo/*.html`, at `/name` and `/name.html`, `index.html` at `/` too. */
const PAGES: Readonly<Record<string, string>> = Object.fromEntries(
  readdirSync(demoDir)
    .filter((file) => file.endsWith('.html') && !Object.values(PLAIN_FILES).includes(path.join(demoDir, file)))
    .flatMap((file) => {
      const name = file.slice(0, -'.html'.length);
      return [[name === 'index' ? '/' : `/${name}`, file], [`/${file}`, file]];
    }),
);

export interface DemoAppOptions {
  /** The site's SendAuth proxy, created with `basePath: PROXY_BASE_PATH`. */
  proxy: SendAuthProxy;
  /** The site's own SendAuth client (the proxy's), for the account's email change. */
  sendauth: SendAuthClient;
  /** The emulator's outbox page, when the demo runs the emulator. */
  outboxUrl?: string;
  /** The site's session cookies: `/session` reads them, `/logout` clears them. */
  session: SessionCookies;
  /** Vite, for the pages and everything they load. */
  vite: PageServer;
}

/**
 * The demo site. Serve it with `getRequestListener` from `@hono/node-server`:
 * it reads the socket's address and hands Node's request and response to
 * Vite, so it needs those bindings. What Vite answers has gone out already
 * when `fetch` resolves (`RESPONSE_ALREADY_SENT`).
 */
export function createDemoApp({ proxy, session, vite, sendauth, outboxUrl }: DemoAppOptions): DemoApp {
  const app = new Hono<DemoEnv>();

  app.onError((error, c) => {
    if (error instanceof ProxyRefusal) return refusal(c, error);
    console.error(`demo: ${c.req.method} ${c.req.path} failed:`, error);
    return refusal(c, new ProxyRefusal('upstream', 'The demo could not complete this request.', { status: 500 }));
  });
  app.notFound(async (c) => {
    const readOnly = c.req.method === 'GET' || c.req.method === 'HEAD';
    if (readOnly && (await handOver(vite.middlewares, c.env))) return RESPONSE_ALREADY_SENT;
    return refusal(c, new ProxyRefusal('invalid-request', `No such page: ${c.req.path}`, { status: 404 }));
  });
  app.use('*', securityHeaders());

  // The proxy sees the path it was configured with, and the socket's address for its per-IP rate limit.
  const toProxy = mount(proxy, {
    replaceRequest: false,
    optionHandler: (c: Context<DemoEnv>) => {
      const clientIp = c.env.incoming.socket.remoteAddress;
      return clientIp === undefined ? {} : { clientIp };
    },
  });
  app.all(PROXY_BASE_PATH, toProxy);
  app.all(`${PROXY_BASE_PATH}/*`, toProxy);

  route(app, '/session', {
    // Whether the visitor is signed in, without a 401: the session cookie is HttpOnly, so
    // pages ask here before `GET /sendauth/me` (which answers 401 to a visitor without one).
    GET: (c) => c.json({ signedIn: session.read(c.req.header('cookie')) !== undefined }, 200, { 'Cache-Control': 'no-store' }),
  });
  route(app, '/logout', {
    // The proxy's CSRF rule, so signing out is exactly as strict as signing in: JSON from this site's origin.
    POST: (c) => {
      checkCsrf(c.req.raw);
      return c.json({ signedOut: true }, 200, { 'Set-Cookie': session.clear(), 'Cache-Control': 'no-store' });
    },
  });
  route(app, '/account/email', {
    // A step-up: the change is made only once the user approved exactly it on their device.
    POST: async (c) => {
      checkCsrf(c.req.raw);
      const userId = session.read(c.req.header('cookie'));
      if (!userId) throw new ProxyRefusal('unauthorized', 'Sign in first.');
      const body: unknown = await c.req.json().catch(() => undefined);
      const { email, tx } = (typeof body === 'object' && body !== null ? body : {}) as { email?: unknown; tx?: unknown };
      const normalized = typeof email === 'string' ? normalizeEmail(email) : undefined;
      if (!normalized || normalized.problem || !isUuid(tx)) {
        throw new ProxyRefusal('invalid-request', 'Send { email, tx }: an email address and the approval’s TX.');
      }
      if (!(await proxy.confirmApproval({ tx, userId, message: emailChangeMessage(normalized.value) }))) {
        throw new ProxyRefusal('forbidden', 'Approve exactly this change on your device first (an approval counts once).');
      }
      const user = await sendauth.getUser(userId);
      await sendauth.updateUser(userId, { ...user, email: normalized.value }).catch(() => {
        throw new ProxyRefusal('invalid-request', 'SendAuth did not take this email address (is it another account’s?).');
      });
      return c.json({ email: normalized.value }, 200, { 'Cache-Control': 'no-store' });
    },
  });
  route(app, '/outbox', {
    GET: (c) => {
      if (!outboxUrl) throw new ProxyRefusal('invalid-request', 'This demo uses a real SendAuth: its notifications go to your email or phone.', { status: 404 });
      return c.redirect(outboxUrl, 302);
    },
  });
  for (const [pathname, file] of Object.entries(PLAIN_FILES)) route(app, pathname, { GET: plainFile(file) });
  for (const [pathname, file] of Object.entries(PAGES)) route(app, pathname, { GET: page(file, demoDir, vite) });

  return app;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Registers the handlers of one path, and a 405 (with `Allow`) for every
 * other method on it, so a wrong method is refused before anything else
 * looks at the request. GET handlers answer HEAD too (Hono's rule).
 */
function route(app: DemoApp, pathname: string, handlers: Partial<Record<Method, Handler<DemoEnv>>>): void {
  const methods = Object.keys(handlers) as Method[];
  for (const method of methods) app.on(method, pathname, handlers[method] as Handler<DemoEnv>);
  const allow = methods.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])).join(', ');
  app.all(pathname, (c) => {
    throw new ProxyRefusal('invalid-request', `${c.req.method} is not allowed here; use ${allow}.`, { status: 405, headers: { Allow: allow } });
  });
}

/** A refusal as the proxy answers one: `{ error: { code, message } }`, its status and headers, never cached. */
function refusal(c: Context<DemoEnv>, { code, message, status, headers }: ProxyRefusal): Response {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, status as ContentfulStatusCode, { 'Cache-Control': 'no-store', ...headers });
}
