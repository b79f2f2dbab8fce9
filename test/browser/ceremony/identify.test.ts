/** `identifyCeremonyError`: every name and message Chromium and Firefox throw, and every SimpleWebAuthn code, to one DESIGN.md code. */
import { expect } from '@open-wc/testing';
import { WebAuthnError, type WebAuthnErrorCode } from '@simplewebauthn/browser';
import { CeremonyError, identifyCeremonyError, isCeremonyError } from '../../../src/ceremony/index.js';
import { isRetryable, type ErrorCode } from '../../../src/error-codes.js';
import { getStrings } from '../../../src/index.js';
import type { CeremonyKind } from '../../../src/types.js';

/**
 * What browsers really throw, by engine: the DOMException name and message (Chromium's
 * `AuthenticatorStatusToDOMException` in blink's authentication_credentials_container.cc;
 * Firefox's WebAuthnManager.cpp and its default DOMException messages), and the code each must get.
 */
const browserCases: Array<[engine: string, name: string, message: string, kind: CeremonyKind, code: ErrorCode]> = [
  // Another WebAuthn request of the page is pending (a site's own passkey autofill): try again once it is not.
  ['Chromium', 'OperationError', 'A request is already pending.', 'authentication', 'prompt-pending'],
  ['Chromium', 'OperationError', 'A request is already pending.', 'registration', 'prompt-pending'],
  ['Firefox', 'AbortError', 'The operation was aborted. ', 'authentication', 'prompt-pending'],
  ['Firefox', 'AbortError', 'The operation was aborted. ', 'registration', 'prompt-pending'],
  // The prompt closed, timed out, or user verification failed: one error by design (WebAuthn §14.5).
  ['Chromium', 'NotAllowedError', 'The operation either timed out or was not allowed. See: https://www.w3.org/TR/webauthn-2/#sctn-privacy-considerations-client.', 'authentication', 'not-allowed'],
  ['Chromium', 'NotAllowedError', 'The operation either timed out or was not allowed. See: https://www.w3.org/TR/webauthn-2/#sctn-privacy-considerations-client.', 'registration', 'not-allowed'],
  ['Chromium', 'NotAllowedError', 'The operation is not allowed at this time because the page does not have focus.', 'authentication', 'not-allowed'],
  ['Firefox', 'NotAllowedError', 'The request is not allowed by the user agent or the platform in the current context, possibly because the user denied permission.', 'authentication', 'not-allowed'],
  ['Firefox', 'NotAllowedError', 'The request is not allowed by the user agent or the platform in the current context, possibly because the user denied permission.', 'registration', 'not-allowed'],
  // Firefox 114-118: a wrong, missing or blocked PIN.
  ['Firefox', 'OperationError', 'The operation failed for an operation-specific reason', 'authentication', 'not-allowed'],
  ['Firefox', 'InvalidStateError', 'The object is in an invalid state.', 'authentication', 'not-allowed'],
  // Not a secure page.
  ['Chromium', 'NotAllowedError', 'WebAuthn is not supported on sites with TLS certificate errors.', 'authentication', 'insecure-context'],
  ['Chromium', 'SecurityError', "Public-key credentials are only available to HTTPS origins with valid certificates, HTTP origins that fall under 'localhost', or pages served from an extension. See https://chromium.googlesource.com/chromium/src/+/main/content/browser/webauth/origins.md for details", 'registration', 'insecure-context'],
  // The RP ID does not fit the page.
  ['Chromium', 'SecurityError', 'This is an invalid domain.', 'authentication', 'rp-mismatch'],
  ['Chromium', 'SecurityError', 'The relying party ID is not a registrable domain suffix of, nor equal to the current domain.', 'registration', 'rp-mismatch'],
  ['Firefox', 'SecurityError', 'The operation is insecure.', 'authentication', 'rp-mismatch'],
  // The authenticator already holds a passkey for this account.
  ['Chromium', 'InvalidStateError', 'The user attempted to register an authenticator that contains one of the credentials already registered with the relying party.', 'registration', 'already-registered'],
  ['Firefox', 'InvalidStateError', 'The object is in an invalid state.', 'registration', 'already-registered'],
  // This browser or authenticator cannot do it.
  ['Chromium', 'NotSupportedError', 'The specified `userVerification` requirement cannot be fulfilled by this device unless the device is secured with a screen lock.', 'authentication', 'not-supported'],
  ['Chromium', 'NotSupportedError', 'None of the algorithms specified in `pubKeyCredParams` are supported by this device.', 'registration', 'not-supported'],
  ['Chromium', 'NotReadableError', 'An unknown error occurred while talking to the credential manager.', 'authentication', 'not-supported'],
  ['Firefox', 'NotSupportedError', 'The operation is not supported.', 'registration', 'not-supported'],
  ['Firefox', 'UnknownError', 'The operation failed for an unknown transient reason', 'authentication', 'not-supported'],
  ['spec', 'ConstraintError', 'A discoverable credential is required', 'registration', 'not-supported'],
  // The options are malformed (the server's doing).
  ['Chromium', 'TypeError', "Failed to read the 'challenge' property from 'PublicKeyCredentialRequestOptions'", 'authentication', 'invalid-request'],
  ['spec', 'InvalidCharacterError', 'The string to be decoded is not correctly encoded.', 'authentication', 'invalid-request'],
  // A deadline (AbortSignal.timeout()) as the abort reason.
  ['any', 'TimeoutError', 'signal timed out', 'authentication', 'timeout'],
];

const webAuthnCases: Array<[code: WebAuthnErrorCode, causeName: string, kind: CeremonyKind, expected: ErrorCode]> = [
  ['ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', 'NotAllowedError', 'authentication', 'not-allowed'],
  ['ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED', 'InvalidStateError', 'registration', 'already-registered'],
  ['ERROR_INVALID_DOMAIN', 'SecurityError', 'authentication', 'rp-mismatch'],
  ['ERROR_INVALID_RP_ID', 'SecurityError', 'registration', 'rp-mismatch'],
  ['ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG', 'NotSupportedError', 'registration', 'not-supported'],
  ['ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT', 'ConstraintError', 'registration', 'not-supported'],
  ['ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT', 'ConstraintError', 'registration', 'not-supported'],
  ['ERROR_MALFORMED_PUBKEYCREDPARAMS', 'NotSupportedError', 'registration', 'invalid-request'],
  ['ERROR_INVALID_USER_ID_LENGTH', 'TypeError', 'registration', 'invalid-request'],
  ['ERROR_AUTHENTICATOR_GENERAL_ERROR', 'UnknownError', 'authentication', 'not-supported'],
];

describe('identifyCeremonyError', () => {
  for (const [engine, name, message, kind, code] of browserCases) {
    it(`${engine}'s ${name} "${message.slice(0, 48)}" during ${kind} → \`${code}\` (retryable: ${isRetryable(code)})`, () => {
      const original = new DOMException(message, name);
      const error = identifyCeremonyError(original, { kind });
      expect(error).to.be.instanceOf(CeremonyError);
      expect(error.code).to.equal(code);
      expect(error.kind).to.equal(kind);
      expect(error.cause).to.equal(original);
      expect(error.message).to.contain(name);
      // The same, wrapped as SimpleWebAuthn hands it on (its own words, the browser's in `cause`).
      const wrapped = new WebAuthnError({ code: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', message: 'in its words', cause: original });
      expect(identifyCeremonyError(wrapped, { kind }).code).to.equal(code);
    });
  }

  it('a pending request is retryable, and a failed user verification is not worded as a closed prompt', () => {
    expect(isRetryable('prompt-pending')).to.equal(true);
    expect(isRetryable('not-allowed')).to.equal(true);
    expect(getStrings('en').errors['not-allowed']).to.not.match(/closed/i);
  });

  it('an AbortError that is an abort reason (SimpleWebAuthn ending an older ceremony) is `cancelled`, not a pending request', () => {
    const reason = Object.assign(new Error('Cancelling existing WebAuthn API call for new one'), { name: 'AbortError' });
    expect(identifyCeremonyError(reason, { kind: 'authentication' }).code).to.equal('cancelled');
    const wrapped = new WebAuthnError({ code: 'ERROR_CEREMONY_ABORTED', message: 'aborted', cause: reason });
    expect(identifyCeremonyError(wrapped, { kind: 'registration' }).code).to.equal('cancelled');
  });

  for (const [webAuthnCode, causeName, kind, expected] of webAuthnCases) {
    it(`maps SimpleWebAuthn's ${webAuthnCode} to \`${expected}\``, () => {
      const original = new WebAuthnError({ code: webAuthnCode, message: 'why', cause: new DOMException('raw', causeName) });
      expect(identifyCeremonyError(original, { kind }).code).to.equal(expected);
    });
  }

  it('maps anything unknown to `not-supported`, never `cancelled`, keeping the original', () => {
    const original = new Error('Registration was not completed');
    const error = identifyCeremonyError(original, { kind: 'registration' });
    expect(error.code).to.equal('not-supported');
    expect(error.cause).to.equal(original);
    expect(identifyCeremonyError('a string', { kind: 'authentication' }).code).to.equal('not-supported');
  });

  it('passes a CeremonyError through unchanged', () => {
    const original = new CeremonyError({ code: 'rp-mismatch', message: 'x' });
    expect(identifyCeremonyError(original, { kind: 'authentication' })).to.equal(original);
  });

  it('recognizes a CeremonyError by name too (another copy of the bundle)', () => {
    const foreign = Object.assign(new Error('x'), { name: 'CeremonyError', code: 'cancelled' });
    expect(isCeremonyError(foreign)).to.equal(true);
    expect(isCeremonyError(Object.assign(new Error('x'), { name: 'CeremonyError', code: 'nonsense' }))).to.equal(false);
    expect(isCeremonyError(new Error('x'))).to.equal(false);
  });
});
