/** The Transactions API operations the project uses: check and cancel. */
import type { StoredTransaction } from '../model.js';
import { EmulatorError, notFound } from '../errors.js';
import { route, type EmulatorApp, type EmulatorContext, type EmulatorDeps } from '../http.js';
import type { EmulatorStore } from '../store.js';
import { completeTransaction, transactionState } from '../transactions.js';
import { parseIdParam } from '../validate.js';

/** The TX of the `{txID}` path parameter: 400 when not a UUID, 404 when unknown. */
export function findTransaction(store: EmulatorStore, c: EmulatorContext): StoredTransaction {
  const tx = store.findTransaction(parseIdParam(c.req.param('txID'), 'txID'));
  if (tx === undefined) throw notFound('Transaction not found');
  return tx;
}

export function registerTransactionRoutes(app: EmulatorApp, { store }: EmulatorDeps): void {
  route(app, '/api/v1/transactions/:txID/check', {
    GET: (c) => c.json({ state: transactionState(findTransaction(store, c), store.now()) }),
  });

  route(app, '/api/v1/transactions/:txID/cancel', {
    DELETE: async (c) => {
      const tx = findTransaction(store, c);
      const state = transactionState(tx, store.now());
      if (state !== 'pending') {
        throw new EmulatorError(400, { error: `Cannot cancel a transaction that is ${state}`, state });
      }
      completeTransaction(tx, 'cancelled', store.now());
      const user = store.findLiveUser(tx.subject);
      if (user !== undefined) store.audit(user, 'cancelled', c.var.actor, { tx: tx.id });
      await store.save();
      return c.json({ state: 'cancelled' });
    },
  });
}
