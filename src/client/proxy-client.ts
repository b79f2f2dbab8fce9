import { isErrorCode, type ErrorCode } from '../error-codes.js';
import {
  WIRE,
  wirePath,
  type ApprovalStart,
  type ApproveRequest,
  type AuthenticateRequest,
  type CompleteResult,
  type MeResult,
  type RegisterRequest,
  type RemovePasskeyResult,
  type SignupRequest,
  type StartAnswer,
  type TxStateResult,
  type VerifyRequest,
  type VerifyResult,
  type WireClient,
  type WireName,
  type WireParams,
  type WireTypes,
} from '../wire.js';
import { ProxyError } from './proxy-error.js';

export interface ProxyClientOptions {
  /**
   * Where the site mounted the proxy: a path on this origin or an absolute URL.
   * @default '/sendauth'
   */
  endpoint?: string;
  /**
   * How long to wait for the proxy's answer before giving up with `timeout`.
   * @default 15_000
   */
  timeoutMs?: number;
}

interface SendInit {
  /** JSON body of a POST. */
  json?: unknown;
  /** Query string, e.g. `?wait=20`. */
  query?: string;
  /** This request's own deadline in ms (a long poll). @default the client's `timeoutMs` */
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
  /** Lets the request outlive the page (a cancel sent while the visitor leaves). */
  keepalive?: boolean;
}

/**
 * The element's side of the element ↔ proxy wire protocol (`wire.ts`): one
 * method per endpoint of `WIRE`, each resolving to that endpoint's answer.
 * Every failure becomes a `ProxyError` with one error code. Nothing is
 * retried: a repeated ceremony start would create a second TX and notify the
 * user twice.
 *
 * Plain `fetch`, not ky: of ky this needs only a timeout, and ky costs 4.2 KB
 * gzip of the drop-in file's 16 KB budget.
 */
export class ProxyClient implements WireClient {
  readonly endpoint: string;
  readonly timeoutMs: number;

  constructor(options: ProxyClientOptions = {}) {
    this.endpoint = (options.endpoint ?? '/sendauth').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** `POST {endpoint}/authenticate`: starts an authentication TX for a username or user id (`mode: "approval"`: on their own device). */
  authenticate(body: AuthenticateRequest, signal?: AbortSignal): Promise<StartAnswer> {
    return this.#send('authenticate', undefined, { json: body, signal });
  }

  /** `POST {endpoint}/register`: starts a registration TX for the site's signed-in user. */
  register(body: RegisterRequest = {}, signal?: AbortSignal): Promise<StartAnswer> {
    return this.#send('register', undefined, { json: body, signal });
  }

  /** `POST {endpoint}/signup`: creates a user and starts a registration TX for them. */
  signup(body: SignupRequest, signal?: AbortSignal): Promise<StartAnswer> {
    return this.#send('signup', undefined, { json: body, signal });
  }

  /** `POST {endpoint}/tx/{tx}/verify`: hands the WebAuthn response to the proxy. */
  verify(tx: string, response: VerifyRequest, signal?: AbortSignal): Promise<VerifyResult> {
    return this.#send('verify', { tx }, { json: response, signal });
  }

  /**
   * `GET {endpoint}/tx/{tx}`: the TX's state; with `waitSeconds` (≤ 30) the proxy answers once it is
   * no longer `pending` or when the wait ends (this request's deadline is the wait plus `timeoutMs`).
   */
  status(tx: string, signal?: AbortSignal, waitSeconds?: number): Promise<TxStateResult> {
    const wait = waitSeconds ? { query: `?wait=${waitSeconds}`, timeoutMs: waitSeconds * 1000 + this.timeoutMs } : {};
    return this.#send('status', { tx }, { signal, ...wait });
  }

  /** `POST {endpoint}/tx/{tx}/complete`: completes an approved TX with the start's `proof`. */
  complete(tx: string, proof: string, signal?: AbortSignal): Promise<CompleteResult> {
    return this.#send('complete', { tx }, { json: { proof }, signal });
  }

  /** `POST {endpoint}/approve`: starts a step-up approval of `{ message }` for the signed-in user. */
  approve(body: ApproveRequest, signal?: AbortSignal): Promise<ApprovalStart> {
    return this.#send('approve', undefined, { json: body, signal });
  }

  /** `DELETE {endpoint}/tx/{tx}`: cancels the TX with the start's `proof`; sent with `keepalive` so it survives page unload. */
  cancel(tx: string, proof: string): Promise<TxStateResult> {
    return this.#send('cancel', { tx }, { json: { proof }, keepalive: true });
  }

  /** `GET {endpoint}/me`: the site's signed-in user; `unauthorized` without one. */
  me(signal?: AbortSignal): Promise<MeResult> {
    return this.#send('me', undefined, { signal });
  }

  /** `DELETE {endpoint}/me/passkey`: removes the signed-in user's passkeys; `unauthorized` without one. */
  removePasskey(signal?: AbortSignal): Promise<RemovePasskeyResult> {
    return this.#send('removePasskey', undefined, { signal });
  }

  async #send<K extends WireName>(name: K, params: WireParams<K>, init: SendInit): Promise<WireTypes[K]['answer']> {
    const { method } = WIRE[name];
    const path = wirePath(name, params);
    const url = `${this.endpoint}/${path}${init.query ?? ''}`;
    const where = `${method} ${url}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    // The proxy's CSRF rule wants JSON on every state-changing request, DELETE included.
    if (method !== 'GET') headers['content-type'] = 'application/json';

    // One controller for the caller's signal and the deadline (AbortSignal.any is too new for
    // Safari before 17.4). The deadline covers reading the body as well.
    const controller = new AbortController();
    const { signal } = init;
    const forwardAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) forwardAbort();
    signal?.addEventListener('abort', forwardAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, init.timeoutMs ?? this.timeoutMs);

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
        credentials: 'same-origin',
        signal: controller.signal,
        ...(init.keepalive ? { keepalive: true } : {}),
      });
      text = await response.text();
    } catch (error) {
      throw noAnswerError(error, where, signal, timedOut);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forwardAbort);
    }

    if (!response.ok) throw errorAnswer(response, text, where, path.startsWith('tx/'));
    try {
      return JSON.parse(text) as WireTypes[K]['answer'];
    } catch (error) {
      throw new ProxyError({
        code: 'upstream',
        status: response.status,
        message: `The proxy answered ${response.status} with a body that is not JSON: ${where}`,
        cause: error,
      });
    }
  }
}

/** No (complete) answer: the deadline passed, the caller aborted, or the network failed. */
function noAnswerError(error: unknown, where: string, signal: AbortSignal | undefined, timedOut: boolean): ProxyError {
  const reason: unknown = signal?.reason;
  // `AbortSignal.timeout()` as the caller's signal is a deadline too, not the visitor cancelling.
  if (timedOut || (signal?.aborted && reason instanceof Error && reason.name === 'TimeoutError')) {
    return new ProxyError({ code: 'timeout', status: 0, message: `Request timed out: ${where}`, cause: timedOut ? error : reason });
  }
  if (signal?.aborted) {
    return new ProxyError({ code: 'cancelled', status: 0, message: `Request aborted: ${where}`, cause: reason instanceof Error ? reason : error });
  }
  // fetch() rejects with a TypeError for offline, DNS, refused connections and CORS refusals alike.
  return new ProxyError({ code: 'network', status: 0, message: `No answer from the proxy: ${where}`, cause: error });
}

/** A non-2xx answer: the proxy's `{ error: { code, message } }`, or whatever a load balancer sent; with its `Retry-After`. */
function errorAnswer(response: Response, text: string, where: string, isTxPath: boolean): ProxyError {
  const { status } = response;
  const body = parseErrorBody(text);
  return new ProxyError({
    code: body ? (isErrorCode(body.code) ? body.code : 'upstream') : codeForStatus(status, isTxPath),
    status,
    message: `${body?.message || `Request failed with status code ${status}`}: ${where}`,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, in ms from now; `undefined`
 * when absent, unreadable or already past.
 */
function parseRetryAfter(value: string | null): number | undefined {
  const ms = value ? Number(value) * 1000 || Date.parse(value) - Date.now() : 0;
  return ms > 0 ? ms : undefined;
}

function parseErrorBody(text: string): { code: unknown; message: string } | undefined {
  try {
    const error: unknown = (JSON.parse(text) as { error?: unknown } | null)?.error;
    if (typeof error === 'object' && error && 'code' in error) {
      const { message } = error as { message?: unknown };
      return { code: error.code, message: typeof message === 'string' ? message : '' };
    }
  } catch {
    // not JSON: a load balancer's page
  }
  return undefined;
}

/** For answers without the proxy's error body (an HTML 502 page, a 404 from a misplaced endpoint). */
function codeForStatus(status: number, isTxPath: boolean): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return isTxPath ? 'tx-not-found' : 'invalid-request';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate-limited';
  if (status >= 400 && status < 500) return 'invalid-request';
  return 'upstream';
}
