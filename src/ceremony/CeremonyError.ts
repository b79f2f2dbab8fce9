import type { CeremonyKind, ErrorCode } from '../types.js';

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
