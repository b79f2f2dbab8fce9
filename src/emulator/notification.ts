/**
 * A TX's notification as SendAuth sends it: the channels by the user's
 * `messagingPreference`, and the secret that its respond-page link carries,
 * so that knowing a TX id is not enough to approve it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NotificationChannel, StoredNotification, StoredTransaction, StoredUser } from './model.js';

/** Bytes of randomness in a respond-page secret (256 bits; the issue asks at least 128). */
export const SECRET_BYTES = 32;

/** Where the notification of a TX for `user` goes, by `messagingPreference` (see `OutboxEntry.channels`). */
export function notificationChannels(user: Pick<StoredUser, 'email' | 'phone' | 'messagingPreference'>): NotificationChannel[] {
  const has = (channel: NotificationChannel) => (channel === 'email' ? user.email : user.phone) !== undefined;
  const preference = user.messagingPreference ?? 'email';
  const wanted: NotificationChannel[] = preference === 'both' ? ['email', 'sms'] : [preference];
  const reachable = wanted.filter(has);
  if (reachable.length > 0) return reachable;
  return (['email', 'sms'] as const).filter(has).slice(0, 1);
}

/** A new notification for a TX of `user`: a fresh secret and the addresses as they are now. */
export function newNotification(user: StoredUser): StoredNotification {
  const notification: StoredNotification = { secret: randomBytes(SECRET_BYTES).toString('base64url'), channels: notificationChannels(user) };
  if (user.email !== undefined) notification.email = user.email;
  if (user.phone !== undefined) notification.phone = user.phone;
  return notification;
}

/** Whether `given` is the secret of the TX's notification (constant time). A TX without one has no link. */
export function secretMatches(tx: StoredTransaction, given: unknown): boolean {
  const secret = tx.notification?.secret;
  if (secret === undefined || typeof given !== 'string') return false;
  const a = Buffer.from(secret);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

