/**
 * The error registry (DESIGN.md, "Error codes"): every code the proxy answers
 * and the elements report, once, with what each layer needs to know of it.
 * Browser and server read it; it imports nothing at run time.
 *
 * Adding a code: an entry here, its text in every `elements/locales/*.ts`
 * (the type makes English and every shipped language total), and its row in
 * the README's "Error codes" table (a test compares). Nothing else.
 */
import type { TransactionState } from './types.js';

/** Which SendAuth operations an HTTP status means a code on: every one, those on a user, those on a transaction, or the named ones. */
export type SendAuthOperations = '*' | 'user' | 'tx' | readonly string[];

export interface ErrorCodeFacts {
  /** The proxy's HTTP status for it (a refusal may name another, e.g. 405, 413, 503); 0: only the browser produces it. */
  status: number;
  /** `sendauth-error`'s `retryable`: whether pressing the button again can succeed without the site changing anything. */
  retryable: boolean;
  /** Short developer-facing English for messages about a SendAuth answer, e.g. `SendAuth answered 404 (user not found)`. */
  summary: string;
  /** SendAuth's HTTP answers that mean it (openapi.yaml): status → the operations where it does. */
  answers?: Readonly<Record<number, SendAuthOperations>>;
  /** The TX states a ceremony endpoint's 409 (or a denied verification's 400) names for it (`api/ceremony.ts`). */
  states?: readonly TransactionState[];
  /**
   * When SendAuth answers it, the proxy answers `upstream` with this status instead: it is the
   * site's business (its credentials, its quota), never the visitor's. Without it the code is passed on.
   */
  upstreamStatus?: number;
}

export const ERROR_REGISTRY = {
  'not-supported': { status: 0, retryable: false, summary: 'WebAuthn is not supported' },
  'insecure-context': { status: 0, retryable: false, summary: 'not a secure context' },
  cancelled: { status: 409, retryable: true, summary: 'transaction cancelled', states: ['cancelled'] },
  // WebAuthn's NotAllowedError: the prompt was closed or timed out, or user verification failed; by
  // design (WebAuthn §14.5) the page cannot tell which.
  'not-allowed': { status: 0, retryable: true, summary: 'the ceremony was not allowed' },
  // Another WebAuthn request of this page is pending (Chromium: OperationError "A request is already pending.").
  'prompt-pending': { status: 0, retryable: true, summary: 'another WebAuthn request is pending' },
  timeout: { status: 0, retryable: true, summary: 'timed out' },
  'user-not-found': { status: 404, retryable: true, summary: 'user not found', answers: { 404: 'user' } },
  'no-passkey': { status: 404, retryable: false, summary: 'user has no passkeys', answers: { 406: ['authenticateUser'] } },
  'already-registered': { status: 409, retryable: false, summary: 'user already has passkeys', answers: { 406: ['registerUser'] } },
  'already-exists': { status: 409, retryable: false, summary: 'user already exists', answers: { 422: ['createUser'] } },
  unauthorized: { status: 401, retryable: false, summary: 'the API credentials were refused', answers: { 401: '*' }, upstreamStatus: 502 },
  forbidden: { status: 403, retryable: false, summary: 'forbidden', answers: { 403: '*' }, upstreamStatus: 502 },
  'tx-expired': { status: 410, retryable: true, summary: 'transaction expired', answers: { 410: 'tx' }, states: ['expired'] },
  'tx-denied': { status: 400, retryable: true, summary: 'transaction denied', states: ['denied'] },
  'tx-not-found': { status: 404, retryable: true, summary: 'transaction not found', answers: { 404: 'tx' } },
  // A 409 naming `pending`: another response for the TX is being verified right now.
  replayed: { status: 409, retryable: true, summary: 'transaction already completed', states: ['pending', 'verified'] },
  'rate-limited': { status: 429, retryable: true, summary: 'rate limited', answers: { 429: '*' }, upstreamStatus: 503 },
  'invalid-request': {
    status: 400,
    retryable: true,
    summary: 'request refused as invalid',
    answers: { 400: '*', 413: '*', 422: ['updateUser'] },
  },
  network: { status: 0, retryable: true, summary: 'network failure' },
  upstream: { status: 502, retryable: true, summary: 'SendAuth failed' },
  'rp-mismatch': { status: 0, retryable: false, summary: 'the RP ID does not fit this host' },
} as const satisfies Record<string, ErrorCodeFacts>;

export type ErrorCode = keyof typeof ERROR_REGISTRY;

/** Every code, in the registry's order. */
export const ERROR_CODES = Object.keys(ERROR_REGISTRY) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_REGISTRY, value);
}

/** The facts of one code, typed as the general shape (optional fields readable). */
export function errorFacts(code: ErrorCode): ErrorCodeFacts {
  return ERROR_REGISTRY[code];
}

/** `retryable` of `sendauth-error` for a code. */
export function isRetryable(code: ErrorCode): boolean {
  return ERROR_REGISTRY[code].retryable;
}

/** `retryable` per code, as a table (derived from the registry; kept for sites that read it whole). */
export const RETRYABLE = Object.fromEntries(ERROR_CODES.map((code) => [code, isRetryable(code)])) as Readonly<Record<ErrorCode, boolean>>;
