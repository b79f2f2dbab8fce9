import type { ErrorCode } from '../error-codes.js';

export interface SendAuthErrorInit {
  /** The client method that failed, e.g. `authenticateUser`. */
  operation: string;
  /** HTTP status SendAuth answered with; 0 when no answer came (network, timeout) or no request was made (bad input). */
  status: number;
  code: ErrorCode;
  message: string;
  cause?: unknown;
}

/**
 * Every failure of `SendAuthClient`: a documented SendAuth status, a network
 * failure or timeout (`upstream`), or input refused before any request
 * (`invalid-request`). The message says what failed and where, and never
 * contains credentials.
 */
export class SendAuthError extends Error {
  override readonly name = 'SendAuthError';
  readonly operation: string;
  readonly status: number;
  readonly code: ErrorCode;

  constructor(init: SendAuthErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
  }
}

/** Checks `name` as well as `instanceof`, so it works across realms and duplicate copies. */
export function isSendAuthError(value: unknown): value is SendAuthError {
  return value instanceof SendAuthError || (value instanceof Error && value.name === 'SendAuthError' && 'code' in value);
}
