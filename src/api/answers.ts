/**
 * Shape checks for SendAuth's 2xx answers. A 2xx whose body fails its check
 * is an `upstream` error: better a clear error here than an `undefined` deep
 * inside the caller.
 */
import { isUuid } from '../field-rules.js';
import {
  TRANSACTION_STATES,
  type Paginated,
  type TX,
  type TransactionState,
  type TransactionStatus,
  type User,
} from '../types.js';
import { isPlainObject } from './validate.js';

/** Checks a parsed JSON answer; narrows it to what the operation promises. */
export type AnswerCheck<T> = (body: unknown) => body is T;

export function isTransactionState(value: unknown): value is TransactionState {
  return typeof value === 'string' && (TRANSACTION_STATES as readonly string[]).includes(value);
}

export function isTx(body: unknown): body is TX {
  return isPlainObject(body) && isUuid(body.tx);
}

export function isUser(body: unknown): body is User {
  return isPlainObject(body) && typeof body.id === 'string' && typeof body.firstName === 'string' && typeof body.lastName === 'string';
}

export function isTransactionStatus(body: unknown): body is TransactionStatus {
  return isPlainObject(body) && isTransactionState(body.state);
}

/** `{ rows, total }` whose rows are objects; rows are not checked field by field. */
export function isPaginated<T>(body: unknown): body is Paginated<T> {
  return isPlainObject(body) && Array.isArray(body.rows) && body.rows.every(isPlainObject) && Number.isSafeInteger(body.total);
}
