/**
 * What a person's browser opens, without basic auth: the outbox, the respond
 * pages and their assets. Only for requests addressed to the emulator by
 * name (its public host or a loopback name), so a page of another site that
 * rebinds its DNS name to 127.0.0.1 cannot read the outbox's links.
 */
import type { MiddlewareHandler } from 'hono';
import type { EmulatorApp, EmulatorDeps, EmulatorEnv } from '../http.js';
import { registerAssetRoutes } from './assets.js';
import { registerOutboxRoutes } from './outbox.js';
import { registerRespondRoutes } from './respond.js';

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function registerPageRoutes(app: EmulatorApp, deps: EmulatorDeps): void {
  const ownHostOnly: MiddlewareHandler<EmulatorEnv> = async (c, next) => {
    const host = new URL(c.req.url).hostname;
    if (host !== new URL(deps.publicUrl()).hostname && !LOOPBACK_HOSTS.includes(host)) {
      return c.json({ error: `Unknown host ${host}: open the emulator's pages at ${deps.publicUrl()}` }, 403);
    }
    await next();
  };
  for (const path of ['/outbox', '/outbox.json', '/respond/*', '/assets/*']) app.use(path, ownHostOnly);

  registerOutboxRoutes(app, deps);
  registerRespondRoutes(app, deps);
  registerAssetRoutes(app);
}
