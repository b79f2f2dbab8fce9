/**
 * The assumed ceremony endpoints (DESIGN.md, "The ceremony endpoints"):
 * `GET` hands out the WebAuthn options of a pending TX (made once, then the
 * same every time); `POST` verifies the browser's response for real and
 * completes the TX, at most once.
 *
 * Errors on an existing TX carry its state: 410 `expired`; 409 when it is no
 * longer pending (or a verification of it is already running); 400 `pending`
 * for a body that is not a WebAuthn response (the TX stays pending); 400
 * `denied` for a response that fails verification (the TX is now denied).
 */
import type { CeremonyOptions } from '../../types.js';
import { EmulatorError, notFound } from '../errors.js';
import { route, readJson, type EmulatorApp, type EmulatorContext, type EmulatorDeps } from '../http.js';
import type { StoredTransaction, StoredUser } from '../model.js';
import { completeTransaction, transactionState } from '../transactions.js';
import { parseAuthenticationResponse, parseRegistrationResponse } from '../validate.js';
import { createCeremony, verifyAuthentication, verifyRegistration } from '../webauthn.js';
import { findTransaction } from './transactions.js';

export function registerCeremonyRoutes(app: EmulatorApp, { store, rp }: EmulatorDeps): void {
  /** A TX that can still run its ceremony, with its user. */
  const pendingTransaction = (c: EmulatorContext): { tx: StoredTransaction; user: StoredUser } => {
    const tx = findTransaction(store, c);
    const state = transactionState(tx, store.now());
    if (state === 'expired') throw new EmulatorError(410, { error: 'Transaction expired', state });
    if (state !== 'pending') throw new EmulatorError(409, { error: `Transaction is already ${state}`, state });
    const user = store.findLiveUser(tx.subject);
    if (user === undefined) throw notFound("The transaction's user no longer exists");
    return { tx, user };
  };

  /** TXs whose response is being verified right now: a second POST meanwhile must not complete it again. */
  const verifying = new Set<string>();

  route(app, '/api/v1/transactions/:txID/webauthn', {
    GET: async (c) => {
      const { tx, user } = pendingTransaction(c);
      if (tx.ceremony === undefined) {
        const ceremony = await createCeremony(tx.kind, user, store.passkeysOf(user.id), rp);
        // Another GET may have made one while this one awaited; the first one wins.
        tx.ceremony ??= ceremony;
        await store.save();
      }
      const body = { kind: tx.ceremony.kind, options: tx.ceremony.options, expiresAt: tx.expiresAt } as CeremonyOptions;
      return c.json(body);
    },

    POST: async (c) => {
      pendingTransaction(c); // refuse early, before reading a body
      const body = await readJson(c).catch((error: unknown) => {
        throw error instanceof EmulatorError ? new EmulatorError(400, { ...error.body, state: 'pending' }) : error;
      });
      // Again, now that the body is in: another request may have completed or cancelled the TX meanwhile.
      const { tx, user } = pendingTransaction(c);
      if (tx.ceremony === undefined) {
        throw new EmulatorError(400, { error: 'No WebAuthn options were handed out for this transaction yet; GET them first', state: 'pending' });
      }
      if (verifying.has(tx.id)) {
        throw new EmulatorError(409, { error: 'A response for this transaction is already being verified', state: 'pending' });
      }
      const ceremony = tx.ceremony;

      /** Ends the TX as denied, and answers 400 with the reason. */
      const deny = async (reason: string): Promise<never> => {
        completeTransaction(tx, 'denied', store.now());
        store.audit(user, 'denied', c.var.actor, { tx: tx.id, reason });
        await store.save();
        throw new EmulatorError(400, { error: reason, state: 'denied' });
      };
      /** While a verification awaits, the clock may pass `expiresAt`, or a cancel (or user deletion) may end the TX: those win. */
      const refuseUnlessPending = (): void => {
        const state = transactionState(tx, store.now());
        if (state === 'expired') throw new EmulatorError(410, { error: 'Transaction expired', state });
        if (state !== 'pending') throw new EmulatorError(409, { error: `Transaction is already ${state}`, state });
      };

      verifying.add(tx.id);
      try {
        // A body that is not a WebAuthn response throws 400 `pending` here, before anything changes.
        if (ceremony.kind === 'registration') {
          const outcome = await verifyRegistration(parseRegistrationResponse(body), ceremony.challenge, rp);
          refuseUnlessPending();
          if (!outcome.verified) return await deny(outcome.reason);
          const passkey = outcome.value;
          if (store.findPasskey(passkey.id) !== undefined) return await deny('This credential is already registered');
          store.addPasskey({ ...passkey, userId: user.id, createdAt: store.nowIso() });
          user.hasPasskeys = true;
          completeTransaction(tx, 'verified', store.now());
          store.audit(user, 'passkey-registered', c.var.actor, { tx: tx.id, credentialId: passkey.id });
        } else {
          const passkeys = store.passkeysOf(user.id);
          const outcome = await verifyAuthentication(parseAuthenticationResponse(body), ceremony.challenge, user, passkeys, rp);
          refuseUnlessPending();
          if (!outcome.verified) return await deny(outcome.reason);
          const { credentialId, newCounter } = outcome.value;
          const passkey = store.findPasskey(credentialId);
          if (passkey !== undefined) passkey.counter = newCounter;
          user.lastAuthenticated = store.nowIso();
          completeTransaction(tx, 'verified', store.now());
          store.audit(user, 'authenticated', c.var.actor, { tx: tx.id, credentialId });
        }
        await store.save();
        return c.json({ state: 'verified' as const });
      } finally {
        verifying.delete(tx.id);
      }
    },
  });
}
