/** Transactions: how one starts, and its state as callers see it (a pending TX past `expiresAt` reads as `expired`). */
import { randomUUID } from 'node:crypto';
import type { CeremonyKind, Transaction, TransactionState, WebTX } from '../types.js';
import type { StoredTransaction, StoredUser } from './model.js';
import { newNotification } from './notification.js';
import { displayName } from './users.js';

export interface NewTransaction {
  kind: CeremonyKind;
  user: StoredUser;
  /** The basic-auth username that asked for it. */
  requestor: string;
  now: number;
  ttlMs: number;
  webTx?: WebTX;
}

/** A pending TX that expires `ttlMs` from `now`, with the notification SendAuth sends the user for it. */
export function newTransaction({ kind, user, requestor, now, ttlMs, webTx }: NewTransaction): StoredTransaction {
  const tx: StoredTransaction = {
    id: randomUUID(),
    kind,
    subject: user.id,
    subjectName: displayName(user),
    state: 'pending',
    requestor,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
    notification: newNotification(user),
  };
  if (webTx?.message !== undefined) tx.message = webTx.message;
  if (webTx?.connectwise !== undefined) tx.connectwise = webTx.connectwise;
  return tx;
}

/** Expiry is lazy: nothing is rewritten when a TX expires; every read asks the clock. */
export function transactionState(tx: StoredTransaction, now: number): TransactionState {
  if (tx.state === 'pending' && now >= Date.parse(tx.expiresAt)) return 'expired';
  return tx.state;
}

/** Ends a pending TX. */
export function completeTransaction(tx: StoredTransaction, state: 'verified' | 'denied' | 'cancelled', now: number): void {
  tx.state = state;
  tx.completedAt = new Date(now).toISOString();
}

/** The public `Transaction`; `context` says which ceremony it runs (`registration` / `authentication`). */
export function toPublicTransaction(tx: StoredTransaction, now: number): Transaction {
  const out: Transaction = {
    id: tx.id,
    subject: tx.subject,
    subjectName: tx.subjectName,
    state: transactionState(tx, now),
    requestor: tx.requestor,
    context: tx.kind,
    createdAt: tx.createdAt,
    expiresAt: tx.expiresAt,
  };
  if (tx.completedAt !== undefined) out.completedAt = tx.completedAt;
  if (tx.message !== undefined) out.message = tx.message;
  return out;
}

/** Case-insensitive substring match of `q` over the message and the (current) state. */
export function transactionMatchesQuery(tx: StoredTransaction, q: string, now: number): boolean {
  const needle = q.toLowerCase();
  return [tx.message, transactionState(tx, now)].some((v) => v !== undefined && v.toLowerCase().includes(needle));
}
