/**
 * The notifications SendAuth sends: for every TX it creates (`authenticate_user`,
 * `register_user`) SendAuth notifies the user by `messagingPreference` with a
 * secure link to its respond page. The emulator sends nothing; it keeps each
 * notification in an outbox (`GET /outbox`, `GET /outbox.json`,
 * `RunningEmulator.outbox()`) and tells `onNotification`.
 */
import type { CeremonyKind, TransactionState } from '../types.js';
import type { NotificationChannel, StoredNotification, StoredTransaction } from './model.js';
import type { EmulatorStore } from './store.js';
import { transactionState } from './transactions.js';

/**
 * One notification, as `GET /outbox.json` lists it (newest first).
 *
 * - `tx`: the TX id; `userId`: its user; `kind`: `registration` | `authentication`.
 * - `email`, `phone`: the user's addresses when it was sent (`null` when the user has none).
 * - `channels`: where it went: the `messagingPreference` (`email` when unset; `both` is both) among the
 *   addresses the user has; when the user has none of those, the other one; `[]` when the user has neither.
 * - `message`: the TX's WebTX `message`, else a default text for its kind.
 * - `link`: the respond page, `{publicUrl}/respond/{tx}?secret={secret}` (secret: 256 random bits, base64url).
 * - `createdAt`, `expiresAt`: ISO 8601 times of the TX; `state`: its state now (expiry included).
 */
export interface OutboxEntry {
  tx: string;
  userId: string;
  kind: CeremonyKind;
  email: string | null;
  phone: string | null;
  channels: NotificationChannel[];
  message: string;
  link: string;
  createdAt: string;
  expiresAt: string;
  state: TransactionState;
}

/** The `message` of a notification whose TX carries none (register_user takes no WebTX). */
export const DEFAULT_MESSAGES: Record<CeremonyKind, string> = {
  authentication: 'Someone asked to sign in to your account. Approve only if it was you.',
  registration: 'Create a passkey for your account.',
};

/** The respond page of a TX: `{publicUrl}/respond/{tx}?secret={secret}`. */
export function respondLink(publicUrl: string, tx: StoredTransaction & { notification: StoredNotification }): string {
  return `${publicUrl}/respond/${tx.id}?secret=${tx.notification.secret}`;
}

export function toOutboxEntry(tx: StoredTransaction & { notification: StoredNotification }, publicUrl: string, now: number): OutboxEntry {
  const { notification } = tx;
  return {
    tx: tx.id,
    userId: tx.subject,
    kind: tx.kind,
    email: notification.email ?? null,
    phone: notification.phone ?? null,
    channels: [...notification.channels],
    message: tx.message ?? DEFAULT_MESSAGES[tx.kind],
    link: respondLink(publicUrl, tx),
    createdAt: tx.createdAt,
    expiresAt: tx.expiresAt,
    state: transactionState(tx, now),
  };
}

function hasNotification(tx: StoredTransaction): tx is StoredTransaction & { notification: StoredNotification } {
  return tx.notification !== undefined;
}

export interface Outbox {
  /** Every notification sent, newest first (a TX removed with its user is gone from here too). */
  entries(): OutboxEntry[];
}

export interface OutboxOptions {
  store: EmulatorStore;
  /** The emulator's address for a person's browser, e.g. `http://localhost:8787` (known once it listens). */
  publicUrl: () => string;
  /** Told of each notification as it is sent; an exception is logged, never fails the request. */
  onNotification?: ((entry: OutboxEntry) => void) | undefined;
}

export function createOutbox({ store, publicUrl, onNotification }: OutboxOptions): Outbox {
  if (onNotification !== undefined) {
    store.onTransactionAdded((tx) => {
      if (!hasNotification(tx)) return;
      try {
        onNotification(toOutboxEntry(tx, publicUrl(), store.now()));
      } catch (error) {
        console.error('sendauth-emulator: onNotification failed:', error);
      }
    });
  }
  return {
    entries: () => {
      const now = store.now();
      return store.allTransactions().filter(hasNotification).map((tx) => toOutboxEntry(tx, publicUrl(), now));
    },
  };
}

/**
 * The emulator's address as a person's browser reaches it, without a trailing
 * slash, once its port is known. Default `http://{rpID}:{port}`: the RP's
 * host, so a passkey made on a `localhost` page works on the respond page
 * (never `127.0.0.1`, where WebAuthn for RP `localhost` fails). A given URL
 * must be http(s), without a path, on the RP ID or a subdomain of it; checked
 * at once (`TypeError`), before anything listens.
 */
export function publicUrlResolver(given: string | undefined, rpID: string): (port: number) => string {
  if (given === undefined) return (port) => `http://${rpID}:${port}`;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new TypeError(`startEmulator: publicUrl must be a URL, got ${JSON.stringify(given)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('startEmulator: publicUrl must be http(s)');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') throw new TypeError('startEmulator: publicUrl must have no path, query or fragment');
  if (url.hostname !== rpID && !url.hostname.endsWith(`.${rpID}`)) {
    throw new TypeError(`startEmulator: publicUrl's host must be the RP ID ${rpID} or a subdomain of it (WebAuthn refuses others), got ${url.hostname}`);
  }
  return () => url.origin;
}
