/** `identifyCeremonyError`: every DOMException name and SimpleWebAuthn code to one DESIGN.md code. */
import { expect } from '@open-wc/testing';
import { WebAuthnError, type WebAuthnErrorCode } from '@simplewebauthn/browser';
import { CeremonyError, identifyCeremonyError, isCeremonyError } from '../../../src/ceremony/index.js';
import type { ErrorCode } from '../../../src/error-codes.js';
import type { CeremonyKind } from '../../../src/types.js';

const domCases: Array<[name: string, kind: CeremonyKind, code: ErrorCode]> = [
  ['NotAllowedError', 'authentication', 'cancelled'],
  ['NotAllowedError', 'registration', 'cancelled'],
  ['AbortError', 'authentication', 'cancelled'],
  ['InvalidStateError', 'registration', 'already-registered'],
  ['SecurityError', 'authentication', 'rp-mismatch'],
  ['SecurityError', 'registration', 'rp-mismatch'],
  ['NotSupportedError', 'registration', 'not-supported'],
  ['ConstraintError', 'registration', 'not-supported'],
  ['TimeoutError', 'authentication', 'timeout'],
  ['UnknownError', 'authentication', 'not-supported'],
  ['InvalidCharacterError', 'authentication', 'invalid-request'],
];

const webAuthnCases: Array<[code: WebAuthnErrorCode, causeName: string, kind: CeremonyKind, expected: ErrorCode]> = [
  ['ERROR_CEREMONY_ABORTED', 'AbortError', 'authentication', 'cancelled'],
  ['ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', 'NotAllowedError', 'authentication', 'cancelled'],
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
  for (const [name, kind, code] of domCases) {
    it(`maps a ${name} DOMException during ${kind} to \`${code}\``, () => {
      const original = new DOMException('from the browser', name);
      const error = identifyCeremonyError(original, { kind });
      expect(error).to.be.instanceOf(CeremonyError);
      expect(error.code).to.equal(code);
      expect(error.kind).to.equal(kind);
      expect(error.cause).to.equal(original);
      expect(error.message).to.contain(name);
    });
  }

  for (const [webAuthnCode, causeName, kind, expected] of webAuthnCases) {
    it(`maps SimpleWebAuthn's ${webAuthnCode} to \`${expected}\``, () => {
      const original = new WebAuthnError({ code: webAuthnCode, message: 'why', cause: new DOMException('raw', causeName) });
      expect(identifyCeremonyError(original, { kind }).code).to.equal(expected);
    });
  }

  it('does not call an InvalidStateError during authentication `already-registered`', () => {
    expect(identifyCeremonyError(new DOMException('x', 'InvalidStateError'), { kind: 'authentication' }).code).to.equal('not-supported');
  });

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
