import type {
  CeremonyOptions,
  CeremonyResponse,
  CeremonyResult,
  DeletedUsersQuery,
  ListUsersQuery,
  PageQuery,
  PaginatedAudits,
  PaginatedTransactions,
  PaginatedUsers,
  TagsRequest,
  TransactionStatus,
  TX,
  User,
  UserInput,
  WebTX,
} from '../types.js';
import { isPaginated, isTransactionStatus, isTx, isUser } from './answers.js';
import { completeCeremonyCall, getCeremonyCall } from './ceremony.js';
import type { Operation } from './status-codes.js';
import { createTransport, type Send } from './transport.js';
import { checkQuery, checkTags, checkUserInput, checkUuid, checkWebTx } from './validate.js';

export interface SendAuthClientOptions {
  /** Where SendAuth is, e.g. `https://app.sendauth.com` or the emulator's URL. */
  baseUrl: string;
  /** API username (HTTP basic auth). */
  username: string;
  /** API password (HTTP basic auth). Kept private; never part of a message. */
  password: string;
  /** Per request (each attempt, and reading its answer). @default 10_000 */
  timeoutMs?: number;
  /** Retries of idempotent GETs after a network failure or 408/429/5xx; other methods are never retried. @default 2 */
  retries?: number;
  /** For tests and instrumentation. @default globalThis.fetch */
  fetch?: typeof fetch;
}

const PAGE_QUERY = ['page', 'perPage', 'q'] as const;
const DELETED_USERS_QUERY = [...PAGE_QUERY, 'permission'] as const;
const LIST_USERS_QUERY = [...DELETED_USERS_QUERY, 'sortBy', 'sortDir'] as const;
const MAX_TIMEOUT_MS = 2_147_483_647; // setTimeout's limit

const userPath = (operation: Operation, userId: string, rest = ''): string =>
  `api/v1/users/${encodeURIComponent(checkUuid(operation, 'userId', userId))}${rest}`;
const deletedUserPath = (operation: Operation, userId: string): string =>
  `api/v1/users/deleted/${encodeURIComponent(checkUuid(operation, 'userId', userId))}`;
const txPath = (operation: Operation, txId: string, rest: string): string =>
  `api/v1/transactions/${encodeURIComponent(checkUuid(operation, 'txId', txId))}${rest}`;

/**
 * Typed server-side client of the SendAuth API: the Users operations, the
 * transaction `check`/`cancel`, and the (assumed) ceremony endpoints.
 *
 * Every failure is a `SendAuthError` with the operation, the HTTP status
 * (0 when none came) and a stable `code`. Inputs are checked before any
 * request. The credentials are private: not enumerable, not in any message.
 */
export class SendAuthClient {
  readonly #send: Send;

  constructor(options: SendAuthClientOptions) {
    const { baseUrl, username, password, timeoutMs = 10_000, retries = 2, fetch } = options ?? {};
    // Messages here never echo the values: a misplaced password must not end up in a log.
    const baseUrlProblem = describeBaseUrlProblem(baseUrl);
    if (baseUrlProblem) throw new TypeError(`SendAuthClient: ${baseUrlProblem}`);
    if (typeof username !== 'string' || username === '' || username.includes(':')) {
      throw new TypeError('SendAuthClient: username must be a non-empty string without ":"');
    }
    if (typeof password !== 'string' || password === '') throw new TypeError('SendAuthClient: password must be a non-empty string');
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new TypeError(`SendAuthClient: timeoutMs must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
    }
    if (!Number.isSafeInteger(retries) || retries < 0) throw new TypeError('SendAuthClient: retries must be an integer ≥ 0');
    if (fetch !== undefined && typeof fetch !== 'function') throw new TypeError('SendAuthClient: fetch must be a function');
    this.#send = createTransport({ baseUrl, username, password, timeoutMs, retries, fetch });
  }

  // ─── Users ───────────────────────────────────────────────────────────────

  /** Creates an authentication TX for a user. 406 → `no-passkey`. */
  async authenticateUser(userId: string, webTx?: WebTX): Promise<TX> {
    const operation = 'authenticateUser';
    const path = userPath(operation, userId, '/authenticate');
    return this.#send({ operation, method: 'post', path, json: checkWebTx(operation, webTx), answer: isTx });
  }

  /** 422 → `already-exists`; 403 → `forbidden`. Read-only fields are left out of the body. */
  async createUser(user: UserInput): Promise<User> {
    const operation = 'createUser';
    return this.#send({ operation, method: 'post', path: 'api/v1/users', json: checkUserInput(operation, user), answer: isUser });
  }

  /** Soft delete. 403 → `forbidden` (the API account's own user). */
  async deleteUser(userId: string): Promise<void> {
    const operation = 'deleteUser';
    return this.#send({ operation, method: 'delete', path: userPath(operation, userId) });
  }

  /** Permanently deletes a soft-deleted user. */
  async destroyUser(userId: string): Promise<void> {
    const operation = 'destroyUser';
    return this.#send({ operation, method: 'delete', path: deletedUserPath(operation, userId) });
  }

  async getUser(userId: string): Promise<User> {
    const operation = 'getUser';
    return this.#send({ operation, method: 'get', path: userPath(operation, userId), answer: isUser });
  }

  async getUserAudits(userId: string, query?: PageQuery): Promise<PaginatedAudits> {
    const operation = 'getUserAudits';
    const path = userPath(operation, userId, '/audits');
    return this.#send<PaginatedAudits>({ operation, method: 'get', path, searchParams: checkQuery(operation, query, PAGE_QUERY), answer: isPaginated });
  }

  async getUserTransactions(userId: string, query?: PageQuery): Promise<PaginatedTransactions> {
    const operation = 'getUserTransactions';
    const path = userPath(operation, userId, '/transactions');
    return this.#send<PaginatedTransactions>({ operation, method: 'get', path, searchParams: checkQuery(operation, query, PAGE_QUERY), answer: isPaginated });
  }

  async listDeletedUsers(query?: DeletedUsersQuery): Promise<PaginatedUsers> {
    const operation = 'listDeletedUsers';
    const searchParams = checkQuery(operation, query, DELETED_USERS_QUERY);
    return this.#send<PaginatedUsers>({ operation, method: 'get', path: 'api/v1/users/deleted', searchParams, answer: isPaginated });
  }

  async listUsers(query?: ListUsersQuery): Promise<PaginatedUsers> {
    const operation = 'listUsers';
    const searchParams = checkQuery(operation, query, LIST_USERS_QUERY);
    return this.#send<PaginatedUsers>({ operation, method: 'get', path: 'api/v1/users', searchParams, answer: isPaginated });
  }

  /** Creates a registration TX for a user. 406 → `already-registered`. */
  async registerUser(userId: string): Promise<TX> {
    const operation = 'registerUser';
    return this.#send({ operation, method: 'post', path: userPath(operation, userId, '/register'), answer: isTx });
  }

  /** Removes all of the user's passkeys. */
  async removeUserPasskey(userId: string): Promise<void> {
    const operation = 'removeUserPasskey';
    return this.#send({ operation, method: 'delete', path: userPath(operation, userId, '/passkey') });
  }

  /** Restores a soft-deleted user. */
  async restoreUser(userId: string): Promise<void> {
    const operation = 'restoreUser';
    return this.#send({ operation, method: 'put', path: deletedUserPath(operation, userId) });
  }

  async setUserTags(userId: string, request: TagsRequest): Promise<void> {
    const operation = 'setUserTags';
    return this.#send({ operation, method: 'put', path: userPath(operation, userId, '/tags'), json: checkTags(operation, request) });
  }

  /** 422 → `invalid-request`; 403 → `forbidden`. Read-only fields are left out of the body. */
  async updateUser(userId: string, user: UserInput): Promise<User> {
    const operation = 'updateUser';
    const path = userPath(operation, userId);
    return this.#send({ operation, method: 'put', path, json: checkUserInput(operation, user), answer: isUser });
  }

  // ─── Transactions ────────────────────────────────────────────────────────

  async checkTransaction(txId: string): Promise<TransactionStatus> {
    const operation = 'checkTransaction';
    return this.#send({ operation, method: 'get', path: txPath(operation, txId, '/check'), answer: isTransactionStatus });
  }

  /** 400 (not pending) → `invalid-request`. */
  async cancelTransaction(txId: string): Promise<void> {
    const operation = 'cancelTransaction';
    return this.#send({ operation, method: 'delete', path: txPath(operation, txId, '/cancel') });
  }

  // ─── The assumed ceremony endpoints (ceremony.ts) ────────────────────────

  /** The WebAuthn options of a pending TX. 409 → by state (`replayed`, `tx-denied`, `cancelled`); 410 → `tx-expired`. */
  async getCeremony(txId: string): Promise<CeremonyOptions> {
    return this.#send(getCeremonyCall(txId));
  }

  /** Hands the browser's WebAuthn response to SendAuth. 400 with state denied → `tx-denied`; 409 → by state. */
  async completeCeremony(txId: string, response: CeremonyResponse): Promise<CeremonyResult> {
    return this.#send(completeCeremonyCall(txId, response));
  }
}

/**
 * What is wrong with a `baseUrl`, in words that name the fix (an unset environment variable
 * gives `''`), or `undefined` for an http(s) URL without credentials, query or fragment. Never
 * echoes the value: a misplaced password must not end up in a log.
 */
function describeBaseUrlProblem(value: unknown): string | undefined {
  const example = 'e.g. https://app.sendauth.com, or the emulator’s http://127.0.0.1:8787';
  if (typeof value !== 'string' || value.trim() === '') return `baseUrl is empty: give the URL of your SendAuth (${example}).`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `baseUrl must be an http(s) URL starting with https:// or http:// (${example}).`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `baseUrl must start with https:// or http:// (${example}).`;
  if (url.username || url.password) return 'baseUrl must hold no credentials: give them as username and password.';
  if (url.search || url.hash) return 'baseUrl must have no query or fragment.';
  return undefined;
}
