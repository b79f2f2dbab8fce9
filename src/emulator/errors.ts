import type { SendAuthErrorBody } from '../types.js';

/** The status codes the emulator answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 406 | 409 | 410 | 413 | 415 | 422 | 500;

/**
 * The body of every emulator error: the spec's `Error` schema (`{ error }`),
 * with `field` for a validation error and `state` for a ceremony error on an
 * existing transaction.
 */
export type EmulatorErrorBody = Pick<SendAuthErrorBody, 'error' | 'field' | 'state'>;

/** Thrown by handlers; `app.ts` turns it into a JSON answer with this status. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  readonly status: ErrorStatus;
  readonly body: EmulatorErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: ErrorStatus, body: EmulatorErrorBody, headers: Record<string, string> = {}) {
    super(body.error);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

export function badRequest(error: string, field?: string): EmulatorError {
  return new EmulatorError(400, field === undefined ? { error } : { error, field });
}

export function notFound(error: string): EmulatorError {
  return new EmulatorError(404, { error });
}
