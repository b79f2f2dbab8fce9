import type { ErrorCode } from '../types.js';

/** HTTP status → error code, for one operation. Statuses not listed are `upstream`. */
export type StatusCodes = Readonly<Partial<Record<number, ErrorCode>>>;

const COMMON = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'invalid-request',
  429: 'rate-limited',
} as const satisfies StatusCodes;

const ON_USER = { ...COMMON, 404: 'user-not-found' } as const satisfies StatusCodes;
const ON_TX = { ...COMMON, 404: 'tx-not-found', 410: 'tx-expired' } as const satisfies StatusCodes;

/**
 * Every operation of `SendAuthClient` and what its documented statuses mean.
 * The ceremony operations also look at the answer's `state` (see `ceremony.ts`).
 */
export const STATUS_CODES = {
  authenticateUser: { ...ON_USER, 406: 'no-passkey' },
  createUser: { ...ON_USER, 422: 'already-exists' },
  deleteUser: ON_USER,
  destroyUser: ON_USER,
  getUser: ON_USER,
  getUserAudits: ON_USER,
  getUserTransactions: ON_USER,
  listDeletedUsers: ON_USER,
  listUsers: ON_USER,
  registerUser: { ...ON_USER, 406: 'already-registered' },
  removeUserPasskey: ON_USER,
  restoreUser: ON_USER,
  setUserTags: ON_USER,
  updateUser: { ...ON_USER, 422: 'invalid-request' },
  checkTransaction: ON_TX,
  cancelTransaction: ON_TX,
  getCeremony: ON_TX,
  completeCeremony: ON_TX,
} as const satisfies Record<string, StatusCodes>;

/** The name of a `SendAuthClient` method; `SendAuthError.operation` is one of these. */
export type Operation = keyof typeof STATUS_CODES;

export function errorCodeFor(operation: Operation, status: number): ErrorCode {
  const codes: StatusCodes = STATUS_CODES[operation];
  return codes[status] ?? 'upstream';
}

const DESCRIPTIONS: Partial<Record<ErrorCode, string>> = {
  'invalid-request': 'request refused as invalid',
  unauthorized: 'the API credentials were refused',
  forbidden: 'forbidden',
  'user-not-found': 'user not found',
  'tx-not-found': 'transaction not found',
  'no-passkey': 'user has no passkeys',
  'already-registered': 'user already has passkeys',
  'already-exists': 'user already exists',
  'tx-expired': 'transaction expired',
  'tx-denied': 'transaction denied',
  cancelled: 'transaction cancelled',
  replayed: 'transaction already completed',
  'rate-limited': 'rate limited',
};

/** Words for the parenthesis of `SendAuth answered 404 (user not found): …`. */
export function describeStatus(code: ErrorCode, status: number): string {
  if (code === 'upstream') return status >= 500 ? 'server error' : 'unexpected status';
  return DESCRIPTIONS[code] ?? code;
}
