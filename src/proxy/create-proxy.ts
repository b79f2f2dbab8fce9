/**
 * `createSendAuthProxy`: the site's trust boundary between the elements and
 * SendAuth (DESIGN.md, wire protocol and Security rules). Routing, body
 * limits and the Fetch plumbing are Hono's (`app.ts`); what is ours is who
 * may do what (`routes/`).
 */
import { createProxyApp } from './app.js';
import { resolveProxyOptions, type SendAuthProxyHandler, type SendAuthProxyOptions } from './options.js';

/**
 * Creates the proxy: a standard Fetch handler serving the wire protocol
 * (`wire.ts`) under `basePath`. Mount it as is in Hono, Next.js route
 * handlers, Bun, Deno or Workers; use `toNodeListener` for `node:http` and
 * Express. Every refusal is `{ error: { code, message } }` with the error
 * registry's status (`error-codes.ts`).
 *
 * @throws TypeError when `sendauth` is missing or its settings are invalid.
 * @example
 * const proxy = createSendAuthProxy({
 *   sendauth: { baseUrl: process.env.SENDAUTH_URL, username: process.env.SENDAUTH_USERNAME, password: process.env.SENDAUTH_PASSWORD },
 *   onVerified: ({ userId }) => ({ 'Set-Cookie': createMySessionCookie(userId) }),
 * });
 */
export function createSendAuthProxy(options: SendAuthProxyOptions): SendAuthProxyHandler {
  const app = createProxyApp({ ...resolveProxyOptions(options), warnedNoClientIp: false });
  return async (request, context) => app.fetch(request, context ?? {});
}
