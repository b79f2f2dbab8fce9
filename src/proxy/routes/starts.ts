/**
 * The ceremony starts: `authenticate`, `register`, `signup`. Each creates a
 * TX at SendAuth for the right user, binds it to that user and flow, and
 * answers the TX with its WebAuthn options in one round trip (DESIGN.md).
 */
import { randomUUID } from 'node:crypto';
import { isSendAuthError } from '../../api/errors.js';
import type { CeremonyKind } from '../../types.js';
import type { CeremonyStart, SignupRequest } from '../../wire.js';
import { ipKeys, rateLimit, readJson, route, sessionUserId, upstream, type ProxyApp, type ProxyDeps } from '../http.js';
import { ProxyRefusal } from '../proxy-refusal.js';
import { BINDING_MARGIN_MS, type TxBinding } from '../tx-bindings.js';
import { markUnfinishedSignup, removeUnfinishedSignup } from '../unfinished-signups.js';
import { checkAuthenticateRequest, checkRegisterRequest, checkSignupRequest } from '../validate.js';

/** SendAuth's documented TX lifetime, for a TX whose own `expiresAt` cannot be read. */
const TX_LIFETIME_MS = 5 * 60_000;

/**
 * One answer for "no such user" and "no passkey", so a stranger cannot tell
 * which names have accounts. Both paths also cost SendAuth the same one
 * `authenticate` call, so timing does not tell either.
 */
const NO_PASSKEY = (): ProxyRefusal =>
  new ProxyRefusal('no-passkey', 'No passkey is registered for this account. Sign up or add a passkey first.');

const ALREADY_EXISTS = (): ProxyRefusal => new ProxyRefusal('already-exists', 'An account with this email address already exists.');

/** Longer than creating a user, marking it and starting its ceremony take; the lock is removed when that ends. */
const SIGNUP_LOCK_MS = 30_000;

export function registerStartRoutes(app: ProxyApp, deps: ProxyDeps): void {
  const { sendauth } = deps;

  route(app, 'authenticate', async (c) => {
    const body = checkAuthenticateRequest(await readJson(c));
    const typed = 'userId' in body ? body.userId : body.username;
    await rateLimit(deps, ipKeys(deps, c));
    const userId = 'userId' in body ? body.userId : await upstream(deps, async () => deps.resolveUser(body.username));
    // Per user, not per spelling: an account's email and username share one budget.
    await rateLimit(deps, [`user:${userId ?? typed.toLowerCase()}`]);
    let tx: string;
    try {
      // An unknown name asks SendAuth about a random id: the same call, the same
      // 404-or-406 shape of answer, the same time as a known user without a passkey.
      ({ tx } = await sendauth.authenticateUser(userId ?? randomUUID()));
    } catch (error) {
      if (isSendAuthError(error) && (error.code === 'user-not-found' || error.code === 'no-passkey')) throw NO_PASSKEY();
      return upstream(deps, () => Promise.reject(error));
    }
    if (!userId) {
      await sendauth.cancelTransaction(tx).catch(() => undefined);
      throw NO_PASSKEY();
    }
    return { answer: await ceremonyStart(deps, tx, userId, 'authentication', 'authenticate') };
  });

  route(app, 'register', async (c) => {
    checkRegisterRequest(await readJson(c, { optional: true }));
    const userId = await sessionUserId(deps, c);
    await rateLimit(deps, [...ipKeys(deps, c), `user:${userId}`]);
    const { tx } = await upstream(deps, () => sendauth.registerUser(userId));
    return { answer: await ceremonyStart(deps, tx, userId, 'registration', 'register') };
  });

  route(app, 'signup', async (c) => {
    if (!deps.allowSignup) throw new ProxyRefusal('invalid-request', 'Sign-up is not enabled on this site.', { status: 404 });
    const body = checkSignupRequest(await readJson(c));
    const email = body.email.toLowerCase();
    await rateLimit(deps, [...ipKeys(deps, c), `signup:${email}`]);
    // One sign-up per email at a time, on every instance that shares the store.
    const lock = `signup-lock:${email}`;
    if (!(await deps.store.setIfAbsent(lock, '1', SIGNUP_LOCK_MS))) throw ALREADY_EXISTS();
    try {
      const userId = await createSignupUser(deps, body);
      try {
        await upstream(deps, () => markUnfinishedSignup(sendauth, userId));
        const { tx } = await upstream(deps, () => sendauth.registerUser(userId));
        return { answer: await ceremonyStart(deps, tx, userId, 'registration', 'signup') };
      } catch (error) {
        // No half-made accounts: a user who could not get a passkey ceremony is removed again.
        // (Should this fail too, the mark lets a later sign-up remove it: unfinished-signups.ts.)
        await sendauth
          .deleteUser(userId)
          .then(() => sendauth.destroyUser(userId))
          .catch((cleanupError: unknown) => deps.reportError(cleanupError));
        throw error;
      }
    } finally {
      await deps.store.delete(lock).catch(() => undefined); // it expires by itself too
    }
  });
}

/**
 * Creates the sign-up's user. When the email is taken by what an unfinished
 * sign-up left behind (`unfinished-signups.ts`), that user is removed and the
 * creation tried once more; any other taken email is `already-exists`.
 */
async function createSignupUser(deps: ProxyDeps, body: SignupRequest): Promise<string> {
  const create = async (): Promise<string> => {
    const user = await upstream(deps, () => deps.sendauth.createUser(body));
    if (!user.id) throw new ProxyRefusal('upstream', 'SendAuth created the user but returned no id.');
    return user.id;
  };
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof ProxyRefusal && error.code === 'already-exists')) throw error;
    if (!(await upstream(deps, () => removeUnfinishedSignup(deps.sendauth, body.email, deps.now())))) throw error;
    return create();
  }
}

/**
 * The second half of every start: fetch the TX's WebAuthn options so the
 * browser gets TX and options in one answer. A TX whose options cannot be
 * had is cancelled, so nothing half-done is left at SendAuth.
 */
async function ceremonyStart(
  deps: ProxyDeps,
  sendauthTx: string,
  userId: string,
  kind: CeremonyKind,
  flow: TxBinding['flow'],
): Promise<CeremonyStart> {
  // Bindings are keyed by the lower-case id, as `checkTxId` reads it back from the browser.
  const tx = sendauthTx.toLowerCase();
  try {
    const ceremony = await upstream(deps, () => deps.sendauth.getCeremony(tx));
    if (ceremony.kind !== kind) {
      throw new ProxyRefusal('upstream', `SendAuth answered ${ceremony.kind} options for a ${kind} transaction.`);
    }
    // The binding lives as long as the TX (however long SendAuth gives it), and a margin more.
    const txExpiresAt = Date.parse(ceremony.expiresAt);
    const expiresAt = (Number.isFinite(txExpiresAt) ? Math.max(txExpiresAt, deps.now()) : deps.now() + TX_LIFETIME_MS) + BINDING_MARGIN_MS;
    await deps.bindings.set(tx, { userId, kind, flow, state: 'started', expiresAt });
    return ceremony.kind === 'registration'
      ? { tx, kind: 'registration', options: ceremony.options }
      : { tx, kind: 'authentication', options: ceremony.options };
  } catch (error) {
    await deps.sendauth.cancelTransaction(tx).catch(() => undefined);
    throw error;
  }
}
