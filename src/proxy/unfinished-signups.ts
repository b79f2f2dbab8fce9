/**
 * No half-made accounts. A sign-up creates the SendAuth user before the
 * visitor has a passkey; if the ceremony never completes (the prompt closed,
 * the fingerprint check failed, the TX expired or was denied, the tab closed,
 * the proxy or SendAuth went down in between), that user must not keep the
 * email. The proxy marks each user it creates for a sign-up with a SendAuth
 * user tag, and clears the mark once the passkey is verified. A later sign-up
 * that meets `already-exists` removes the user and starts over only when all
 * of these hold, read from SendAuth (so it works after a restart and across
 * instances):
 *
 * - the user carries this proxy's mark (an administrator's user never does),
 * - it has no passkey and never had a verified transaction,
 * - none of its transactions is still pending (a ceremony still running, in
 *   another tab or on another instance, is not taken over),
 * - it is not brand new without any transaction (another sign-up is between
 *   creating it and starting its ceremony).
 *
 * Two sign-ups for one email on instances sharing the store are also kept
 * apart by a lock in the store (`signup-lock:<email>`).
 *
 * SendAuth's API writes tags (`PUT users/{id}/tags`) but its `User` model does
 * not show them; the proxy reads the mark back from the user's audit trail,
 * where SendAuth records each `tags` change with the tags as `extras` (the
 * emulator does this). This assumption lives here only. Where the trail does
 * not show the tags, no user counts as marked, and nothing is ever removed:
 * sign-up then answers `already-exists`, as before.
 */
import type { SendAuthClient } from '../api/client.js';
import type { Audit, Paginated, User } from '../types.js';

/** The tag the proxy puts on a user it created for a sign-up that has no verified passkey yet. */
export const SIGNUP_TAG = 'sendauth-elements-signup';
const PENDING = 'pending';

/** How long a marked user without any transaction counts as still being set up by another sign-up. */
export const SIGNUP_SETUP_GRACE_MS = 60_000;

/** Pages of 100 read at most when looking through a user's audits or transactions. */
const MAX_PAGES = 10;

/** Marks `userId` as created by an unfinished sign-up. */
export function markUnfinishedSignup(sendauth: SendAuthClient, userId: string): Promise<void> {
  return sendauth.setUserTags(userId, { tags: { [SIGNUP_TAG]: PENDING } });
}

/** Clears the mark: the sign-up is finished (its passkey verified). */
export function clearUnfinishedSignup(sendauth: SendAuthClient, userId: string): Promise<void> {
  return sendauth.setUserTags(userId, { tags: {} });
}

/**
 * Removes the live user with `email` if it is what an unfinished sign-up of
 * this proxy left behind (the rules above). Resolves to whether it removed
 * one; SendAuth's failures reject (the caller answers `upstream`).
 */
export async function removeUnfinishedSignup(sendauth: SendAuthClient, email: string, now: number): Promise<boolean> {
  const user = await findByEmail(sendauth, email);
  if (!user?.id || user.hasPasskeys === true) return false;
  const userId = user.id;
  if (!(await carriesMark(sendauth, userId))) return false;
  const transactions = await readAll((page) => sendauth.getUserTransactions(userId, { page, perPage: 100 }));
  if (transactions.some(({ state }) => state === 'pending' || state === 'verified')) return false;
  const createdAt = Date.parse(user.createdAt ?? '');
  if (transactions.length === 0 && Number.isFinite(createdAt) && now - createdAt < SIGNUP_SETUP_GRACE_MS) return false;
  await sendauth.deleteUser(userId);
  await sendauth.destroyUser(userId);
  return true;
}

async function findByEmail(sendauth: SendAuthClient, email: string): Promise<User | undefined> {
  const wanted = email.toLowerCase();
  const users = await readAll((page) => sendauth.listUsers({ q: email, page, perPage: 100 }));
  return users.find((user) => user.email?.toLowerCase() === wanted);
}

/** Whether the user's newest `tags` audit entry carries the mark. */
async function carriesMark(sendauth: SendAuthClient, userId: string): Promise<boolean> {
  const audits = await readAll((page) => sendauth.getUserAudits(userId, { page, perPage: 100 }));
  let newest: Audit | undefined;
  for (const audit of audits) {
    if (audit.action !== 'tags') continue;
    if (!newest || (audit.created_at ?? '') > (newest.created_at ?? '')) newest = audit;
  }
  return newest?.extras?.[SIGNUP_TAG] === PENDING;
}

async function readAll<T>(read: (page: number) => Promise<Paginated<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const answer = await read(page);
    rows.push(...answer.rows);
    if (answer.rows.length === 0 || rows.length >= answer.total) break;
  }
  return rows;
}
