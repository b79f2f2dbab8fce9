/**
 * WTR middleware: serves `/dist/sendauth-elements.js` and
 * `/dist/sendauth-elements.iife.js` freshly built from the source (once per
 * run, on first request), so drop-in pages test the current code whether or
 * not `npm run build` ran first. A middleware rather than a plugin `serve`
 * hook so the bytes reach the page exactly as built: WTR's esbuild transform
 * would otherwise reprint them.
 */
import type { Middleware } from 'koa';
import { BUNDLE_FILES, buildBrowserBundle, type BundleTexts } from './build-bundle.js';

export function browserBundleMiddleware(): Middleware {
  let bundle: ReturnType<typeof buildBrowserBundle> | undefined;
  return async (ctx, next) => {
    const file = BUNDLE_FILES.find((name) => ctx.path === `/dist/${name}`);
    if (!file) return next();
    bundle ??= buildBrowserBundle();
    const files: BundleTexts = await bundle;
    ctx.type = 'text/javascript';
    ctx.set('cache-control', 'no-store');
    ctx.body = files[file];
  };
}
