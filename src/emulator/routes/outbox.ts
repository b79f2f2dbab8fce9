/**
 * The outbox, without basic auth (a development tool, bound to loopback by
 * default): `GET /outbox`, a page a developer keeps open, and
 * `GET /outbox.json`, `OutboxEntry[]` newest first (see `../outbox.ts`).
 */
import { route, type EmulatorApp, type EmulatorDeps } from '../http.js';
import { renderOutboxPage } from '../pages/outbox-page.js';
import { pageResponse } from '../pages/html.js';

export function registerOutboxRoutes(app: EmulatorApp, { outbox, rp }: EmulatorDeps): void {
  route(app, '/outbox', {
    GET: (c) => pageResponse(c, renderOutboxPage(rp.rpName)),
  });

  route(app, '/outbox.json', {
    GET: (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(outbox.entries());
    },
  });
}
