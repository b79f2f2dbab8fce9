/**
 * A TX's WebAuthn ceremony, whoever runs it: the assumed API endpoints (the
 * site's browser, through the proxy) or the respond page (the person's own
 * device, from the notification's link). Both share the TX's options (made
 * once) and complete the TX at most once.
 *
 * Errors (`EmulatorError`, with the TX's `state`): 410 `expired`; 409 when it
 * is no longer pending or a response for it is being verified right now; 404
 * when its user is gone; 400 `pending` for a body that is not a WebAuthn
 * response (the TX stays pending); 400 `denied` for a response that fails
 * verification (the TX is now denied).
 */
import type { CeremonyOptions } from '../types.js';
import { EmulatorError, notFound } from './errors.js';
import type { StoredTransaction, StoredUser } from './model.js';
import type { EmulatorStore } from './store.js';
import { completeTransaction, transactionState } from './transactions.js';
import { parseAuthenticationResponse, parseRegistrationResponse } from './webauthn-response.js';
import { createCeremony, verifyAuthentication, verifyRegistration, type RelyingParty } from './webauthn.js';

/** TXs whose response is being verified right now: a second response meanwhile must not complete one again. */
const verifying = new WeakSet<StoredTransaction>();

/** Whether a response for this TX is being verified right now (a deny must wait for its outcome). */
export function isVerifying(tx: StoredTransaction): boolean {
  return verifying.has(tx);
}

/** Throws unless the TX is pending (410 expired, 409 otherwise). */
export function refuseUnlessPending(store: EmulatorStore, tx: StoredTransaction): void {
  const state = transactionState(tx, store.now());
  if (state === 'expired') throw new EmulatorError(410, { error: 'Transaction expired', state });
  if (state !== 'pending') throw new EmulatorError(409, { error: `Transaction is already ${state}`, state });
}

/** The user of a pending TX; throws as `refuseUnlessPending`, and 404 when the user is gone. */
export function pendingUser(store: EmulatorStore, tx: StoredTransaction): StoredUser {
  refuseUnlessPending(store, tx);
  const user = store.findLiveUser(tx.subject);
  if (user === undefined) throw notFound("The transaction's user no longer exists");
  return user;
}

/** The options of a pending TX's ceremony, made on first use and the same ever after. */
export async function ceremonyOptions(store: EmulatorStore, rp: RelyingParty, tx: StoredTransaction): Promise<CeremonyOptions> {
  const user = pendingUser(store, tx);
  if (tx.ceremony === undefined) {
    const ceremony = await createCeremony(tx.kind, user, store.passkeysOf(user.id), rp);
    // Another request may have made one while this one awaited; the first one wins.
    tx.ceremony ??= ceremony;
    await store.save();
  }
  return { kind: tx.ceremony.kind, options: tx.ceremony.options, expiresAt: tx.expiresAt } as CeremonyOptions;
}

export interface FinishCeremony {
  store: EmulatorStore;
  /** The relying party; its `isAllowedOrigin` says which `clientDataJSON.origin` this caller accepts. */
  rp: RelyingParty;
  tx: StoredTransaction;
  /** The WebAuthn response JSON as received (checked here). */
  body: unknown;
  /** Who acts, for the audit: the basic-auth username, or the user on the respond page. */
  actor: string;
}

/** Verifies the response for real and completes the TX: `verified`, or `denied` (thrown as 400). */
export async function finishCeremony({ store, rp, tx, body, actor }: FinishCeremony): Promise<'verified'> {
  const user = pendingUser(store, tx);
  const ceremony = tx.ceremony;
  if (ceremony === undefined) {
    throw new EmulatorError(400, { error: 'No WebAuthn options were handed out for this transaction yet; GET them first', state: 'pending' });
  }
  if (verifying.has(tx)) throw new EmulatorError(409, { error: 'A response for this transaction is already being verified', state: 'pending' });

  /** Ends the TX as denied, and answers 400 with the reason. */
  const deny = async (reason: string): Promise<never> => {
    completeTransaction(tx, 'denied', store.now());
    store.audit(user, 'denied', actor, { tx: tx.id, reason });
    await store.save();
    throw new EmulatorError(400, { error: reason, state: 'denied' });
  };

  verifying.add(tx);
  try {
    // A body that is not a WebAuthn response throws 400 `pending` here, before anything changes.
    // While a verification awaits, the clock may pass `expiresAt`, or a cancel (or user deletion) may end the TX: those win.
    if (ceremony.kind === 'registration') {
      const outcome = await verifyRegistration(parseRegistrationResponse(body), ceremony.challenge, rp);
      refuseUnlessPending(store, tx);
      if (!outcome.verified) return await deny(outcome.reason);
      const passkey = outcome.value;
      if (store.findPasskey(passkey.id) !== undefined) return await deny('This credential is already registered');
      store.addPasskey({ ...passkey, userId: user.id, createdAt: store.nowIso() });
      user.hasPasskeys = true;
      completeTransaction(tx, 'verified', store.now());
      store.audit(user, 'passkey-registered', actor, { tx: tx.id, credentialId: passkey.id });
    } else {
      const passkeys = store.passkeysOf(user.id);
      const outcome = await verifyAuthentication(parseAuthenticationResponse(body), ceremony.challenge, user, passkeys, rp);
      refuseUnlessPending(store, tx);
      if (!outcome.verified) return await deny(outcome.reason);
      const { credentialId, newCounter } = outcome.value;
      const passkey = store.findPasskey(credentialId);
      if (passkey !== undefined) passkey.counter = newCounter;
      user.lastAuthenticated = store.nowIso();
      completeTransaction(tx, 'verified', store.now());
      store.audit(user, 'authenticated', actor, { tx: tx.id, credentialId });
    }
    await store.save();
    return 'verified';
  } finally {
    verifying.delete(tx);
  }
}
