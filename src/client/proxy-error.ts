import { isErrorCode, type ErrorCode } from '../error-codes.js';

export interface ProxyErrorInit {
  code: ErrorCode;
  /** HTTP status of the proxy's answer; 0 when no answer came (network, timeout, abort). */
  status: number;
  message: string;
  cause?: unknown;
  /** How long the proxy asked to wait before trying again (its `Retry-After`, e.g. with a 429), in ms. */
  retryAfterMs?: number | undefined;
}

/**
 * Every failure of `ProxyClient`: an error answer of the proxy, a non-JSON
 * answer from something in front of it, no answer at all, a timeout or an
 * abort. `code` is the DESIGN.md error code the elements show text for.
 */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly code: ErrorCode;
  readonly status: number;
  /** How long the proxy asked to wait before trying again (`Retry-After`), in ms; `undefined` when it did not say. */
  readonly retryAfterMs: number | undefined;

  constructor(init: ProxyErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Checks `name` as well as `instanceof`, so it works across realms and duplicate copies of the bundle. */
export function isProxyError(value: unknown): value is ProxyError {
  return (
    value instanceof ProxyError ||
    (value instanceof Error && value.name === 'ProxyError' && isErrorCode((value as { code?: unknown }).code))
  );
}
