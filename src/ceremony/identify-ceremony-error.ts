import type { ErrorCode } from '../error-codes.js';
import type { CeremonyKind } from '../types.js';
import { CeremonyError, isCeremonyError } from './ceremony-error.js';

/**
 * Maps whatever a WebAuthn ceremony threw — a raw DOMException, SimpleWebAuthn's
 * `WebAuthnError` (its `name` is the DOMException's, so that is what is
 * matched, its `code` the reason it worked out, the original in `cause`) or an abort reason — to one DESIGN.md
 * error code. The original stays in `cause`, and its name and message in
 * `message`. Spec references are to WebAuthn Level 2
 * (https://www.w3.org/TR/webauthn-2/), as in SimpleWebAuthn; the messages
 * matched are the ones Chromium (`AuthenticatorStatusToDOMException` in
 * blink's `authentication_credentials_container.cc`) and Firefox
 * (`dom/webauthn/WebAuthnManager.cpp`, its default DOMException messages) throw.
 */
export function identifyCeremonyError(error: unknown, context: { kind: CeremonyKind }): CeremonyError {
  if (isCeremonyError(error)) return error;
  const { kind } = context;
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const reason = String((error as { code?: unknown } | null)?.code ?? '');
  const original = error instanceof Error ? error.message : String(error);
  // SimpleWebAuthn words some messages itself; the browser's own is on `cause`.
  const cause = (error as { cause?: unknown } | null)?.cause;
  const text = `${original} ${cause instanceof Error ? cause.message : ''}`;
  return new CeremonyError({
    code: codeFor(name, reason, text, cause ?? error, kind),
    kind,
    message: `The ${kind} ceremony failed: ${name || 'Error'}: ${original}`,
    cause: error,
  });
}

function codeFor(name: string, reason: string, text: string, raw: unknown, kind: CeremonyKind): ErrorCode {
  // §5.1.3 step 16 / §5.1.4.1 step 15: `options.signal` aborted. The browser rejects with the
  // signal's reason: SimpleWebAuthn's WebAuthnAbortService aborts an older ceremony of this page
  // with an Error named AbortError (a cancel, see isCeremonyPreempted). A DOMException AbortError
  // no signal of ours caused is Firefox refusing this request while another of the page's is
  // pending (WebAuthnManager: "The operation was aborted.").
  if (name === 'AbortError') return raw instanceof DOMException ? 'prompt-pending' : 'cancelled';

  // Chromium: OperationError "A request is already pending." (another WebAuthn request of this
  // page, such as the site's own passkey autofill, has not settled). Retryable once it has.
  if (name === 'OperationError' && /pending/i.test(text)) return 'prompt-pending';

  // §5.1.3 steps 20-22 / §5.1.4.1 steps 18-20: the visitor closed the prompt, the lifetime timer
  // ran out, user verification failed (§6.3.2 step 6, §6.3.3 step 7), or no authenticator holds an
  // allowed credential (§6.3.3 step 6). The spec folds all of these into one NotAllowedError on
  // purpose so a page cannot probe for credentials (§14.5); Chromium says "The operation either
  // timed out or was not allowed", Firefox "The request is not allowed by the user agent or the
  // platform…". Its wording covers all of them. Chromium's "WebAuthn is not supported on sites
  // with TLS certificate errors" is not one of them: the page is not secure.
  if (name === 'NotAllowedError') return /certificate/i.test(text) ? 'insecure-context' : 'not-allowed';

  // §5.1.3 step 20 and §6.3.2 step 3: an authenticator already holds a credential from
  // `excludeCredentials` (Chromium: "The user attempted to register an authenticator that contains
  // one of the credentials already registered…"). Only registration can produce this.
  if (kind === 'registration' && name === 'InvalidStateError') return 'already-registered';

  // Firefox 114-118 reported a wrong, missing or blocked PIN as InvalidStateError or OperationError
  // ("The operation failed for an operation-specific reason"): the user was not verified.
  if (name === 'InvalidStateError' || name === 'OperationError') return 'not-allowed';

  // Chromium's SecurityError "Public-key credentials are only available to HTTPS origins…": not a
  // secure context. Any other SecurityError: §5.1.3 steps 7-8 / §5.1.4.1 steps 5-6, the page's
  // effective domain is not a valid domain (an IP address; Chromium: "This is an invalid domain.")
  // or the RP ID is neither it nor a registrable suffix of it (Firefox: "The operation is insecure.").
  if (name === 'SecurityError' && /https/i.test(text)) return 'insecure-context';
  if (name === 'SecurityError') return 'rp-mismatch';

  // §5.1.3 step 5 (user.id length: TypeError) and step 10 (no "public-key" entry in pubKeyCredParams:
  // SimpleWebAuthn's ERROR_MALFORMED_PUBKEYCREDPARAMS on a NotSupportedError), and undecodable
  // base64url: the options themselves are malformed, in any browser. That is the server's doing,
  // not the visitor's or the browser's.
  if (reason === 'ERROR_MALFORMED_PUBKEYCREDPARAMS' || name === 'TypeError' || name === 'InvalidCharacterError') return 'invalid-request';

  // Not a WebAuthn error (WebAuthn rejects with `options.signal`'s reason, which may be this):
  // `AbortSignal.timeout()` used as a deadline.
  if (name === 'TimeoutError') return 'timeout';

  // Anything else: NotSupportedError (§6.3.2 step 2: no supported algorithm; Chromium: no screen
  // lock for user verification, no resident keys), ConstraintError (§6.3.2 steps 4-5), UnknownError
  // (§6.3.2 steps 1 and 8: the authenticator failed), Chromium's NotReadableError ("An unknown
  // error occurred while talking to the credential manager."), a null credential, a password
  // manager extension's own error. `not-supported` says what helps the visitor (this browser or
  // authenticator could not do it: try another); the original stays in `cause`.
  return 'not-supported';
}
