/**
 * `createSendAuthProxy`: the site's trust boundary between the elements and
 * SendAuth (DESIGN.md, wire protocol and Security rules). Routing, body
 * limits and the Fetch plumbing are Hono's (`app.ts`); what is ours is who
 * may do what (`routes/`).
 */
import { createProxyApp } from './app.js';
import { confirmApproval, type ApprovalToConfirm } from './confirm-approval.js';
import { resolveProxyOptions, type SendAuthProxyHandler, type SendAuthProxyOptions } from './options.js';

/**
 * What `createSendAuthProxy` returns: the Fetch handler itself (mount it as is), with one method
 * for the site's server.
 */
export interface SendAuthProxy extends SendAuthProxyHandler {
  /**
   * Whether the signed-in user approved exactly this action on their own device (a step-up of
   * `<sendauth-approve>`): resolves true only when SendAuth says the TX is `verified`, this proxy
   * started it as a step-up for `userId` with exactly `message`, and it was not confirmed before
   * (one action per approval). Rejects with a `ProxyRefusal` (`upstream`) when SendAuth or the
   * store cannot be asked. See `confirm-approval.ts`.
   *
   * @example
   * if (!(await proxy.confirmApproval({ tx, userId: session.userId, message: `Change your email to ${email}` }))) return forbidden();
   */
  confirmApproval(approval: ApprovalToConfirm): Promise<boolean>;
}

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
export function createSendAuthProxy(options: SendAuthProxyOptions): SendAuthProxy {
  const deps = { ...resolveProxyOptions(options), warnedNoClientIp: false };
  const app = createProxyApp(deps);
  const handler: SendAuthProxyHandler = async (request, context) => app.fetch(request, context ?? {});
  return Object.assign(handler, { confirmApproval: (approval: ApprovalToConfirm) => confirmApproval(deps, approval) });
}
