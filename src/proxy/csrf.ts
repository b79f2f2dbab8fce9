/**
 * The CSRF rule for state-changing requests: JSON only (a cross-site form
 * cannot send `application/json` without a CORS preflight, which this proxy
 * never grants) and an `Origin` the site allows. The proxy applies it to every
 * method but GET and HEAD; a site's own endpoints (the demo's `/logout`) reuse it.
 */
import type { MiddlewareHandler } from 'hono';
import { ProxyRefusal } from './proxy-refusal.js';

/**
 * Throws a 403 `forbidden` `ProxyRefusal` unless `request` is JSON from an allowed origin.
 * @param allowedOrigins origins such as `https://example.com`; `undefined` allows the request's own origin only.
 */
export function checkCsrf(request: Request, allowedOrigins?: readonly string[]): void {
  const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new ProxyRefusal('forbidden', 'State-changing requests must have Content-Type: application/json.');
  }
  const origin = request.headers.get('origin');
  const allowed = allowedOrigins ?? [new URL(request.url).origin];
  if (!origin) {
    throw new ProxyRefusal('forbidden', 'State-changing requests must have an Origin header (browsers send one): this request has none.');
  }
  if (!allowed.includes(origin)) {
    // The developer behind a dev server or reverse proxy that changes the host reads this in the
    // network panel: it names both sides and the option that joins them. Origins are not secrets.
    const seen = JSON.stringify(origin.slice(0, 200));
    const hint = allowedOrigins ? '' : ' (the request’s own; set the proxy’s allowedOrigins when pages are served from elsewhere)';
    throw new ProxyRefusal('forbidden', `Origin ${seen} is not allowed here; allowed: ${allowed.join(', ')}${hint}.`);
  }
}

/** `checkCsrf` as Hono middleware, for every method that can change state. */
export function csrf(allowedOrigins?: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') checkCsrf(c.req.raw, allowedOrigins);
    await next();
  };
}
