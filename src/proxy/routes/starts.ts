/**
 * The ceremony starts: `authenticate`, `register`, `signup`. Each creates a
 * TX at SendAuth for the right user and answers, in one round trip, either
 * its WebAuthn options or the approval the user gives on their own device
 * (`start-tx.ts`, DESIGN.md).
 */
import { randomUUID } from 'node:crypto';
import { isSendAuthError } from '../../api/errors.js';
import type { SignupRequest } from '../../wire.js';
import { approvalWebTx, describeBrowser, newApprovalCode } from '../approval-notice.js';
import { ipKeys, rateLimit, readJson, route, sessionUserId, upstream, type ProxyApp, type ProxyDeps, type ProxyRequestContext } from '../http.js';
import { ProxyRefusal } from '../proxy-refusal.js';
import { mailboxKey, userLimitKey } from '../rate-limit.js';
import { approvalRateLimit, startTx, wantsApproval } from '../start-tx.js';
import { markUnfinishedSignup, removeUnfinishedSignup } from '../unfinished-signups.js';
import { checkAuthenticateRequest, checkRegisterRequest, checkSignupRequest } from '../validate.js';

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
    const approval = wantsApproval(deps, body.mode);
    const typed = 'userId' in body ? body.userId : body.username;
    let ipLimitKeys = ipKeys(deps, c);
    let userId: string | undefined;
    if ('userId' in body) userId = body.userId;
    else {
      // The IP's limit before the name is looked up: that asks SendAuth, which a stranger's loop must not reach.
      await rateLimit(deps, ipLimitKeys);
      ipLimitKeys = [];
      userId = await upstream(deps, async () => deps.resolveUser(body.username));
    }
    // Per user, not per spelling: an account's email and username share one budget. With a
    // `userId` (no look-up) the IP's limit is counted here too: one round trip to a shared store.
    const userKey = userLimitKey(userId ?? typed);
    await rateLimit(deps, [...ipLimitKeys, userKey]);
    if (approval) await approvalRateLimit(deps, userKey);
    // The code goes into every sign-in's notification: SendAuth notifies for each TX, whichever way it ends.
    const code = newApprovalCode();
    let tx: string;
    try {
      // An unknown name asks SendAuth about a random id: the same call, the same
      // 404-or-406 shape of answer, the same time as a known user without a passkey.
      ({ tx } = await sendauth.authenticateUser(userId ?? randomUUID(), approvalWebTx(notice(deps, c, code))));
    } catch (error) {
      if (isSendAuthError(error) && (error.code === 'user-not-found' || error.code === 'no-passkey')) throw NO_PASSKEY();
      return upstream(deps, () => Promise.reject(error));
    }
    if (!userId) {
      await sendauth.cancelTransaction(tx).catch(() => undefined);
      throw NO_PASSKEY();
    }
    const flow = 'authenticate';
    return { answer: await startTx(deps, { tx, userId, kind: 'authentication', flow, approval, code, approvalKey: userKey }) };
  });

  route(app, 'register', async (c) => {
    const { mode } = checkRegisterRequest(await readJson(c, { optional: true }));
    const approval = wantsApproval(deps, mode);
    const userId = await sessionUserId(deps, c);
    const userKey = userLimitKey(userId);
    await rateLimit(deps, [...ipKeys(deps, c), userKey]);
    if (approval) await approvalRateLimit(deps, userKey);
    const { tx } = await upstream(deps, () => sendauth.registerUser(userId));
    // `register_user` takes no WebTX: the notification has SendAuth's own text, without the code.
    const start = { tx, userId, kind: 'registration', flow: 'register', approval, code: newApprovalCode(), approvalKey: userKey } as const;
    return { answer: await startTx(deps, start) };
  });

  route(app, 'signup', async (c) => {
    if (!deps.allowSignup) throw new ProxyRefusal('invalid-request', 'Sign-up is not enabled on this site.', { status: 404 });
    const { mode, ...body } = checkSignupRequest(await readJson(c));
    const approval = wantsApproval(deps, mode);
    const email = body.email.toLowerCase();
    // Per mailbox, not per spelling: `ada+1@…`, `ada+2@…` would each notify ada's one inbox.
    const signupKey = `signup:${mailboxKey(email)}`;
    await rateLimit(deps, [...ipKeys(deps, c), signupKey]);
    if (approval) await approvalRateLimit(deps, signupKey);
    // One sign-up per email at a time, on every instance that shares the store.
    const lock = `signup-lock:${email}`;
    if (!(await deps.store.setIfAbsent(lock, '1', SIGNUP_LOCK_MS))) throw ALREADY_EXISTS();
    try {
      const userId = await createSignupUser(deps, body);
      try {
        await upstream(deps, () => markUnfinishedSignup(sendauth, userId));
        const { tx } = await upstream(deps, () => sendauth.registerUser(userId));
        const start = { tx, userId, kind: 'registration', flow: 'signup', approval, code: newApprovalCode(), approvalKey: signupKey } as const;
        return { answer: await startTx(deps, start) };
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

/** What the notification of a sign-in or step-up says besides the code: the site and the browser that asked. */
export function notice(deps: ProxyDeps, c: ProxyRequestContext, code: string, message?: string) {
  const site = deps.siteName ?? new URL(c.req.url).host;
  return { site, browser: describeBrowser(c.req.header('user-agent')), code, message };
}
