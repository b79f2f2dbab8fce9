import { isErrorCode, type ErrorCode } from '../error-codes.js';
import { type CeremonyKind } from '../types.js';

export interface CeremonyErrorInit {
  code: ErrorCode;
  /** Developer-facing English; the elements show localized text by `code`. */
  message: string;
  /** The ceremony that failed, when known. */
  kind?: CeremonyKind;
  /** The original error: a DOMException, SimpleWebAuthn's `WebAuthnError`, an abort reason. */
  cause?: unknown;
}

/** Every failure of `performRegistration` / `performAuthentication`, with one DESIGN.md error code. */
export class CeremonyError extends Error {
  override readonly name = 'CeremonyError';
  readonly code: ErrorCode;
  readonly kind: CeremonyKind | undefined;

  constructor(init: CeremonyErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.kind = init.kind;
  }
}

/** Checks `name` as well as `instanceof`, so it works across realms and duplicate copies of the bundle. */
export function isCeremonyError(value: unknown): value is CeremonyError {
  return (
    value instanceof CeremonyError ||
    (value instanceof Error && value.name === 'CeremonyError' && isErrorCode((value as { code?: unknown }).code))
  );
}
