/**
 * WTR middleware for the static pages in `test/browser/pages/`: serves them
 * with the strict Content-Security-Policy the elements must work under
 * (issue 4: `script-src 'self'; style-src 'self'`). Add it to the config's
 * `middleware`.
 */
import type { Middleware } from 'koa';

export const STRICT_CSP = "script-src 'self'; style-src 'self'";
export const PAGES_PATH = '/test/browser/pages/';

export function strictCspPagesMiddleware(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.path.startsWith(PAGES_PATH) && ctx.path.endsWith('.html')) {
      ctx.set('Content-Security-Policy', STRICT_CSP);
    }
  };
}
