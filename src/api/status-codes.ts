/**
 * What SendAuth's HTTP statuses mean, per operation of `SendAuthClient`:
 * derived from the error registry (`../error-codes.ts`), which says for each
 * code which statuses on which operations mean it.
 */
import { ERROR_CODES, errorFacts, type ErrorCode } from '../error-codes.js';

/** Every `SendAuthClient` operation and what it acts on (the registry's `'user'` / `'tx'` groups). */
const OPERATIONS = {
  authenticateUser: 'user',
  createUser: 'user',
  deleteUser: 'user',
  destroyUser: 'user',
  getUser: 'user',
  getUserAudits: 'user',
  getUserTransactions: 'user',
  listDeletedUsers: 'user',
  listUsers: 'user',
  registerUser: 'user',
  removeUserPasskey: 'user',
  restoreUser: 'user',
  setUserTags: 'user',
  updateUser: 'user',
  checkTransaction: 'tx',
  cancelTransaction: 'tx',
  getCeremony: 'tx',
  completeCeremony: 'tx',
} as const satisfies Record<string, 'user' | 'tx'>;

/** The name of a `SendAuthClient` method; `SendAuthError.operation` is one of these. */
export type Operation = keyof typeof OPERATIONS;

/** HTTP status → error code, for one operation. Statuses not listed are `upstream`. */
export type StatusCodes = Readonly<Partial<Record<number, ErrorCode>>>;

function statusCodesOf(operation: Operation): StatusCodes {
  const table: Partial<Record<number, ErrorCode>> = {};
  for (const code of ERROR_CODES) {
    for (const [status, where] of Object.entries(errorFacts(code).answers ?? {})) {
      const applies = where === '*' || where === OPERATIONS[operation] || (Array.isArray(where) && where.includes(operation));
      // The named operations are the more specific rule: they win over a group's.
      if (applies && (table[Number(status)] === undefined || Array.isArray(where))) table[Number(status)] = code;
    }
  }
  return table;
}

/** Every operation of `SendAuthClient` and what its documented statuses mean. */
export const STATUS_CODES = Object.fromEntries(
  (Object.keys(OPERATIONS) as Operation[]).map((operation) => [operation, statusCodesOf(operation)]),
) as Readonly<Record<Operation, StatusCodes>>;

export function errorCodeFor(operation: Operation, status: number): ErrorCode {
  return STATUS_CODES[operation][status] ?? 'upstream';
}

/** Words for the parenthesis of `SendAuth answered 404 (user not found): …`. */
export function describeStatus(code: ErrorCode, status: number): string {
  if (code === 'upstream') return status >= 500 ? 'server error' : 'unexpected status';
  return errorFacts(code).summary;
}
