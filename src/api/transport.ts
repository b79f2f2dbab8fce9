/**
 * The one request helper of `SendAuthClient`: ky with basic auth, timeouts,
 * retries for GETs only, and every failure turned into a `SendAuthError`.
 * The credentials live only in this closure (and the ky instance it holds).
 */
import ky, { isHTTPError, isTimeoutError } from 'ky';
import type { ErrorCode } from '../error-codes.js';
import type { AnswerCheck } from './answers.js';
import { createCredentialScrubber } from './credential-scrubber.js';
import { SendAuthError } from './errors.js';
import { describeStatus, errorCodeFor, type Operation } from './status-codes.js';
import { isPlainObject } from './validate.js';

/** One request of one operation. */
export interface Call<T> {
  operation: Operation;
  method: 'get' | 'post' | 'put' | 'delete';
  /** Relative to `baseUrl`, no leading slash; path segments already `encodeURIComponent`ed. */
  path: string;
  searchParams?: Record<string, string | number>;
  json?: unknown;
  /** Checks the 2xx answer's JSON. Without it the answer's body is ignored and the call resolves to `undefined`. */
  answer?: AnswerCheck<T>;
  /** Consulted before the status table with an error answer's parsed body (the ceremony's `state`). */
  errorCode?: (status: number, body: unknown) => ErrorCode | undefined;
}

export type Send = <T>(call: Call<T>) => Promise<T>;

export interface TransportOptions {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
  retries: number;
  fetch?: typeof fetch;
}

/** Retried statuses of GETs. Others (4xx) would only fail the same way again. */
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504];
/** Short, so that a failing upstream is reported well within a few timeouts. */
const BACKOFF_LIMIT_MS = 300;
/** SendAuth's own error text is quoted in messages up to this length. */
const MAX_QUOTED = 300;

export function createTransport(options: TransportOptions): Send {
  const { baseUrl, username, password, timeoutMs } = options;
  const token = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  // What SendAuth or the network says is scrubbed of the credentials (as whole tokens) before it goes
  // into a message; the rest of a message is our own text (method, path, operation, origin), never a credential.
  const scrub = createCredentialScrubber(username, password);
  const at = new URL(baseUrl).origin;

  const http = ky.create({
    prefixUrl: baseUrl,
    headers: { authorization: `Basic ${token}`, accept: 'application/json' },
    timeout: timeoutMs,
    // The API does not redirect; following one would resend the credentials elsewhere. A 3xx is `upstream`.
    redirect: 'manual',
    fetch: options.fetch,
    retry: {
      limit: options.retries,
      methods: ['get'],
      statusCodes: RETRY_STATUS_CODES,
      backoffLimit: BACKOFF_LIMIT_MS,
      maxRetryAfter: BACKOFF_LIMIT_MS,
    },
    hooks: {
      // The failed attempt's answer is not read; release its connection.
      beforeRetry: [
        ({ error }) => {
          if (isHTTPError(error)) cancelBody(error.response);
        },
      ],
    },
  });

  /** ky's timeout ends at the headers; this bounds reading the body too. */
  async function readText(response: Response, abort: AbortController): Promise<string> {
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      return await response.text();
    } finally {
      clearTimeout(timer);
    }
  }

  return async function send<T>(call: Call<T>): Promise<T> {
    const { operation } = call;
    const where = `${call.method.toUpperCase()} /${call.path} (${operation})`;
    const fail = (status: number, code: ErrorCode, message: string, cause?: unknown): SendAuthError =>
      new SendAuthError({ operation, status, code, message, cause });
    const timedOut = (): SendAuthError => fail(0, 'upstream', `SendAuth at ${at} timed out after ${timeoutMs} ms: ${where}`);

    // Serialised here, not by ky: a value JSON cannot hold (a cycle, a BigInt, nesting past the stack)
    // is the caller's input to refuse, never "SendAuth unreachable".
    let payload: string | undefined;
    try {
      payload = call.json === undefined ? undefined : JSON.stringify(call.json);
    } catch (error) {
      throw fail(0, 'invalid-request', `Invalid input to ${operation}: the body cannot be sent as JSON (${(error as Error).message}); no request was sent to SendAuth`);
    }

    const abort = new AbortController();
    let response: Response;
    try {
      response = await http(call.path, {
        method: call.method,
        ...(payload === undefined ? {} : { body: payload, headers: { 'content-type': 'application/json' } }),
        searchParams: call.searchParams,
        signal: abort.signal,
      });
    } catch (error) {
      // ky's HTTPError and TimeoutError hold the request, authorization header included: never a `cause`.
      if (isHTTPError(error)) {
        const { status } = error.response;
        const body = parseJson(await readText(error.response, abort).catch(() => ''));
        const code = call.errorCode?.(status, body) ?? errorCodeFor(operation, status);
        const said = status === 401 ? undefined : errorText(body); // never echo anything about credentials
        // Scrubbed before it is shortened: a cut through the password would leave a part no scrubber knows.
        const quoted = said ? `; SendAuth said: ${JSON.stringify(shorten(scrub(said)))}` : '';
        throw fail(status, code, `SendAuth answered ${status} (${describeStatus(code, status)}): ${where}${quoted}`);
      }
      if (isTimeoutError(error)) throw timedOut();
      throw fail(0, 'upstream', `SendAuth at ${at} was unreachable: ${where}: ${scrub(networkReason(error))}`, error);
    }

    if (!call.answer) {
      cancelBody(response);
      return undefined as T; // the operation promises `void`
    }
    let text: string;
    try {
      text = await readText(response, abort);
    } catch (error) {
      if (abort.signal.aborted) throw timedOut();
      throw fail(0, 'upstream', `SendAuth at ${at} dropped the connection mid-answer: ${where}: ${scrub(networkReason(error))}`, error);
    }
    const body = parseJson(text);
    if (!call.answer(body)) {
      throw fail(response.status, 'upstream', `SendAuth answered ${response.status} with a body that is not the expected JSON: ${where}`);
    }
    return body;
  };
}

function cancelBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** SendAuth's `{ error: "…" }` (or `{ error: { message } }`). */
function errorText(body: unknown): string | undefined {
  if (!isPlainObject(body)) return undefined;
  const { error } = body;
  return typeof error === 'string' ? error : isPlainObject(error) && typeof error.message === 'string' ? error.message : undefined;
}

function shorten(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

/** `fetch failed` says little; its cause (`connect ECONNREFUSED …`) says what happened. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
