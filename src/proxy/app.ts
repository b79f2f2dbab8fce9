/**
 * The proxy as a Hono app: errors as `{ error: { code, message } }` (never
 * HTML, never a stack trace), 405 with `Allow` for a known path and a wrong
 * method (from the wire table, before anything else looks at the request),
 * the CSRF rule, the body limit, and the route modules.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { WIRE } from '../wire.js';
import { csrf } from './csrf.js';
import type { ProxyApp, ProxyDeps, ProxyEnv } from './http.js';
import { ProxyRefusal, refusalResponse } from './proxy-refusal.js';
import { registerApprovalRoutes } from './routes/approval.js';
import { registerMeRoutes } from './routes/me.js';
import { registerStartRoutes } from './routes/starts.js';
import { registerTransactionRoutes } from './routes/transactions.js';

export function createProxyApp(deps: ProxyDeps): ProxyApp {
  const { basePath, maxBodyBytes } = deps;
  const app = new Hono<ProxyEnv>().basePath(basePath);

  app.onError((error) => {
    if (error instanceof ProxyRefusal) return refusalResponse(error);
    deps.reportError(error);
    return refusalResponse(new ProxyRefusal('upstream', 'The server could not complete this request.', { status: 500 }));
  });
  app.notFound((c) => refusalResponse(notFound(c.req.method, c.req.path, basePath)));

  app.use('*', methodCheck(basePath));
  app.use('*', csrf(deps.allowedOrigins));
  app.use('*', async (c, next) => {
    // The site's setup, never the visitor's fault: a 500, and the fix in the site's logs.
    if (c.env?.unreadableBody !== undefined && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      deps.reportError(new Error(c.env.unreadableBody));
      throw new ProxyRefusal('upstream', 'The server could not read this request.', { status: 500 });
    }
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => refusalResponse(new ProxyRefusal('invalid-request', `The body is larger than ${maxBodyBytes} bytes.`, { status: 413 })),
    }),
  );

  registerStartRoutes(app, deps);
  registerTransactionRoutes(app, deps);
  registerApprovalRoutes(app, deps);
  registerMeRoutes(app, deps);
  return app;
}

/** Each wire path as a pattern, with the methods it takes (`GET, HEAD, DELETE`: HEAD wherever GET), in the table's order. */
const PATHS: ReadonlyArray<{ pattern: RegExp; allow: string[] }> = Object.values(WIRE).reduce<
  Array<{ path: string; pattern: RegExp; allow: string[] }>
>((paths, { method, path }) => {
  const methods: string[] = method === 'GET' ? ['GET', 'HEAD'] : [method];
  const known = paths.find((entry) => entry.path === path);
  if (known) known.allow.push(...methods);
  else paths.push({ path, pattern: new RegExp(`^/${path.replace(':tx', '[^/]+')}$`), allow: methods });
  return paths;
}, []);

/**
 * Before anything else looks at the request (the CSRF rule included): a path that is no wire
 * endpoint's is a 404, a wire path with a method it does not take (OPTIONS, PUT, PATCH, …) a 405
 * with `Allow`. HEAD is GET without a body (Hono answers it so), and listed wherever GET is.
 */
function methodCheck(basePath: string): MiddlewareHandler<ProxyEnv> {
  return async (c, next) => {
    const path = basePath === '/' ? c.req.path : c.req.path.slice(basePath.length);
    const allow = PATHS.find(({ pattern }) => pattern.test(path))?.allow;
    if (!allow) throw notFound(c.req.method, c.req.path, basePath);
    if (!allow.includes(c.req.method)) {
      throw new ProxyRefusal('invalid-request', `${c.req.method} is not allowed here; use ${allow.join(', ')}.`, {
        status: 405,
        headers: { Allow: allow.join(', ') },
      });
    }
    await next();
  };
}

/**
 * A 404 `invalid-request`. A path outside `basePath` most often means the site mounted the proxy
 * elsewhere (Next.js under `app/api/…`, a router prefix) and left `basePath` at its default: the
 * message names the option, so the developer reading the answer knows what to set.
 */
function notFound(method: string, path: string, basePath: string): ProxyRefusal {
  const inside = basePath === '/' || path === basePath || path.startsWith(`${basePath}/`);
  const hint = inside
    ? ''
    : ` (this proxy serves ${basePath === '/' ? '' : basePath}/…; mounted elsewhere, give createSendAuthProxy that path as basePath, and the elements the same endpoint attribute)`;
  return new ProxyRefusal('invalid-request', `No such endpoint: ${method} ${path}${hint}`, { status: 404 });
}
