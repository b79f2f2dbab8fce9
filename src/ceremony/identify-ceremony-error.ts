import type { ErrorCode } from '../error-codes.js';
import type { CeremonyKind } from '../types.js';
import { CeremonyError, isCeremonyError } from './ceremony-error.js';

/**
 * Maps whatever a WebAuthn ceremony threw — a raw DOMException, SimpleWebAuthn's
 * `WebAuthnError` (its `name` is the DOMException's, its `code` the reason it
 * worked out) or an abort reason — to one DESIGN.md error code. The original
 * stays in `cause`, and its name and message in `message`. Spec references are
 * to WebAuthn Level 2 (https://www.w3.org/TR/webauthn-2/), as in SimpleWebAuthn.
 */
export function identifyCeremonyError(error: unknown, context: { kind: CeremonyKind }): CeremonyError {
  if (isCeremonyError(error)) return error;
  const { kind } = context;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const reason = String((error as { code?: unknown } | null)?.code ?? '');
  const original = error instanceof Error ? error.message : String(error);
  return new CeremonyError({
    code: codeFor(name, reason, kind),
    kind,
    message: `The ${kind} ceremony failed: ${name || 'Error'}: ${original}`,
    cause: error,
  });
}

function codeFor(name: string, reason: string, kind: CeremonyKind): ErrorCode {
  // §5.1.3 step 16 / §5.1.4.1 step 15: `options.signal` aborted — our signal, `WebAuthnAbortService.cancelCeremony()`,
  // or a newer ceremony on this page (WebAuthnAbortService aborts the older one).
  if (reason === 'ERROR_CEREMONY_ABORTED' || name === 'AbortError') return 'cancelled';

  // §5.1.3 steps 20-22 / §5.1.4.1 steps 18-20: the visitor closed the prompt, the lifetime timer
  // (`options.timeout`) ran out, user verification was refused (§6.3.2 step 6, §6.3.3 step 7), or
  // no authenticator holds an allowed credential (§6.3.3 step 6). The spec folds all of these into
  // one NotAllowedError on purpose so a page cannot probe for credentials (§14.5), so we cannot
  // tell them apart either; `cancelled` lets the visitor simply try again.
  if (name === 'NotAllowedError') return 'cancelled';

  // §5.1.3 step 20 and §6.3.2 step 3: an authenticator already holds a credential from
  // `excludeCredentials`. Only registration can produce this.
  if (kind === 'registration' && (reason === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError')) {
    return 'already-registered';
  }

  // §5.1.3 steps 7-8 / §5.1.4.1 steps 5-6: the page's effective domain is not a valid domain, or
  // the RP ID is neither it nor a registrable suffix of it.
  if (reason === 'ERROR_INVALID_DOMAIN' || reason === 'ERROR_INVALID_RP_ID' || name === 'SecurityError') return 'rp-mismatch';

  // §5.1.3 step 5 (user.id length) and step 10 (no "public-key" entry in pubKeyCredParams), and
  // undecodable base64url: the options themselves are malformed, in any browser. That is the
  // server's doing, not the visitor's or the browser's.
  if (
    reason === 'ERROR_INVALID_USER_ID_LENGTH' ||
    reason === 'ERROR_MALFORMED_PUBKEYCREDPARAMS' ||
    name === 'TypeError' ||
    name === 'InvalidCharacterError'
  ) {
    return 'invalid-request';
  }

  // §6.3.2 step 2 (NotSupportedError): no authenticator supports any requested algorithm.
  // §6.3.2 steps 4-5 (ConstraintError): a discoverable credential or user verification is
  // required and no authenticator can do it.
  if (name === 'NotSupportedError' || name === 'ConstraintError') return 'not-supported';

  // Not a WebAuthn error (WebAuthn rejects with `options.signal`'s reason, which may be this):
  // `AbortSignal.timeout()` used as a deadline.
  if (name === 'TimeoutError') return 'timeout';

  // Anything else: UnknownError (§6.3.2 steps 1 and 8, §6.3.3 steps 1 and 12: the authenticator
  // failed), a null credential, a password-manager extension's own error. Not `cancelled` — the
  // visitor did not cancel — and not `upstream`, which is about SendAuth. `not-supported` says
  // what helps the visitor (this browser or authenticator could not do it: try another); the
  // original stays in `cause` for the developer.
  return 'not-supported';
}
