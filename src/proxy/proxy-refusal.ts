import { isSendAuthError } from '../api/errors.js';
import { errorFacts, type ErrorCode } from '../error-codes.js';
import type { ErrorBody } from '../wire.js';

/**
 * A request the proxy refuses: thrown anywhere in a route, turned into
 * `{ error: { code, message } }` with the registry's status for its code
 * (`error-codes.ts`) unless the refusal names another (405, 413, 503, …).
 */
export class ProxyRefusal extends Error {
  override readonly name = 'ProxyRefusal';
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, init: { status?: number; headers?: Record<string, string> } = {}) {
    super(message);
    this.code = code;
    // A browser-only code has no status of its own; should one ever be thrown here it is a 400.
    this.status = init.status ?? (errorFacts(code).status || 400);
    this.headers = init.headers ?? {};
  }
}

export function refusalResponse(refusal: ProxyRefusal): Response {
  const body: ErrorBody = { error: { code: refusal.code, message: refusal.message } };
  return Response.json(body, {
    status: refusal.status,
    headers: { 'Cache-Control': 'no-store', ...refusal.headers },
  });
}

/**
 * What a SendAuth failure means for the browser, by the error registry: a
 * code SendAuth answers for the visitor's request (`user-not-found`,
 * `tx-expired`, …) is passed on; one that is the site's business (its
 * credentials refused, its quota) is `upstream` with the registry's
 * `upstreamStatus`, so the element never says "sign in"; anything else —
 * a failure, a timeout, a code SendAuth has no business answering — is
 * `upstream` too, and the caller reports every `upstream` through `onError`.
 */
export function refusalFromSendAuth(error: unknown): ProxyRefusal {
  if (!isSendAuthError(error)) {
    return new ProxyRefusal('upstream', 'The proxy failed unexpectedly while talking to SendAuth.', { status: 500 });
  }
  const { code } = error;
  // Status 0: the client refused a value before sending it. What the visitor sent was checked
  // already, so the bad value came from the site (a session user id that is not a UUID, say).
  if (error.status === 0 && code === 'invalid-request') {
    return new ProxyRefusal('upstream', 'The site passed SendAuth an invalid value; check the proxy configuration.', { status: 500 });
  }
  if (code === 'upstream') {
    return isTimeout(error)
      ? new ProxyRefusal('upstream', 'SendAuth did not answer in time.', { status: 504 })
      : new ProxyRefusal('upstream', 'SendAuth is unavailable right now.');
  }
  const facts = errorFacts(code);
  if (facts.upstreamStatus) {
    return new ProxyRefusal('upstream', `SendAuth refused the site's request (${facts.summary}); check the proxy's configuration and SendAuth's limits.`, {
      status: facts.upstreamStatus,
    });
  }
  if (facts.answers || facts.states) return new ProxyRefusal(code, `SendAuth: ${facts.summary}.`);
  return new ProxyRefusal('upstream', `SendAuth failed with an unexpected code (${code}).`);
}

function isTimeout(error: Error): boolean {
  const cause: unknown = error.cause;
  return (cause instanceof Error && cause.name === 'TimeoutError') || /timed out/i.test(error.message);
}
