import { isSendAuthError } from '../api/errors.js';
import type { ErrorBody, ErrorCode } from '../types.js';

/** The HTTP status the proxy answers with for each error code (unless a refusal names another). */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  'invalid-request': 400,
  'tx-denied': 400,
  unauthorized: 401,
  forbidden: 403,
  'user-not-found': 404,
  'no-passkey': 404,
  'tx-not-found': 404,
  'already-registered': 409,
  'already-exists': 409,
  replayed: 409,
  cancelled: 409,
  'tx-expired': 410,
  'rate-limited': 429,
  upstream: 502,
  timeout: 504,
  network: 502,
  // Browser-side codes; the proxy never produces them, but the table is total.
  'not-supported': 400,
  'insecure-context': 400,
  'rp-mismatch': 400,
};

/**
 * A request the proxy refuses: thrown anywhere in a route, turned into
 * `{ error: { code, message } }` with the status for its code.
 */
export class ProxyRefusal extends Error {
  override readonly name = 'ProxyRefusal';
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, init: { status?: number; headers?: Record<string, string> } = {}) {
    super(message);
    this.code = code;
    this.status = init.status ?? STATUS_BY_CODE[code];
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
 * What a SendAuth failure means for the browser. SendAuth refusing the
 * proxy's own credentials (401/403) is the site's misconfiguration, not the
 * visitor's: it becomes `upstream`, so the element never says "sign in".
 */
export function refusalFromSendAuth(error: unknown): ProxyRefusal {
  if (!isSendAuthError(error)) {
    return new ProxyRefusal('upstream', 'The proxy failed unexpectedly while talking to SendAuth.', { status: 500 });
  }
  switch (error.code) {
    case 'unauthorized':
    case 'forbidden':
      return new ProxyRefusal('upstream', 'SendAuth refused the site’s API credentials; check the proxy configuration.');
    case 'upstream':
      return isTimeout(error)
        ? new ProxyRefusal('upstream', 'SendAuth did not answer in time.', { status: 504 })
        : new ProxyRefusal('upstream', 'SendAuth is unavailable right now.');
    case 'tx-denied':
      return new ProxyRefusal('tx-denied', 'SendAuth could not verify this passkey response.');
    case 'tx-expired':
      return new ProxyRefusal('tx-expired', 'This sign-in request has expired; start again.');
    case 'replayed':
      return new ProxyRefusal('replayed', 'This transaction was already completed.');
    case 'cancelled':
      return new ProxyRefusal('cancelled', 'This transaction was cancelled.');
    case 'tx-not-found':
      return new ProxyRefusal('tx-not-found', 'No such transaction.');
    case 'user-not-found':
      return new ProxyRefusal('user-not-found', 'No such user.');
    case 'already-registered':
      return new ProxyRefusal('already-registered', 'This account already has a passkey.');
    case 'already-exists':
      return new ProxyRefusal('already-exists', 'An account with this email already exists.');
    case 'rate-limited':
      return new ProxyRefusal('upstream', 'SendAuth is rate limiting this site; try again shortly.', { status: 503 });
    default:
      // Status 0: the client refused a value before sending it. What the visitor sent was checked
      // already, so the bad value came from the site (a session user id that is not a UUID, say).
      return error.status === 0
        ? new ProxyRefusal('upstream', 'The site passed SendAuth an invalid value; check the proxy configuration.', { status: 500 })
        : new ProxyRefusal('invalid-request', 'SendAuth refused the request as invalid.');
  }
}

function isTimeout(error: Error): boolean {
  const cause: unknown = error.cause;
  return (cause instanceof Error && cause.name === 'TimeoutError') || /timed out/i.test(error.message);
}
