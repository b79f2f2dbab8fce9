/**
 * The assumed ceremony endpoints (DESIGN.md, "The ceremony endpoints"):
 * `GET` hands out the WebAuthn options of a pending TX (made once, then the
 * same every time); `POST` verifies the browser's response for real and
 * completes the TX, at most once. Not served with `ceremonyEndpoints: false`
 * (SendAuth's public spec has no such endpoints).
 *
 * Errors on an existing TX carry its state (see `../ceremony.ts`): 410
 * `expired`; 409 when it is no longer pending (or a verification of it is
 * already running); 400 `pending` for a body that is not a WebAuthn response
 * (the TX stays pending); 400 `denied` for a response that fails verification
 * (the TX is now denied).
 */
import { ceremonyOptions, finishCeremony, pendingUser } from '../ceremony.js';
import { EmulatorError } from '../errors.js';
import { route, readJson, type EmulatorApp, type EmulatorDeps } from '../http.js';
import { findTransaction } from './transactions.js';

export function registerCeremonyRoutes(app: EmulatorApp, { store, rp }: EmulatorDeps): void {
  route(app, '/api/v1/transactions/:txID/webauthn', {
    GET: async (c) => c.json(await ceremonyOptions(store, rp, findTransaction(store, c))),

    POST: async (c) => {
      const tx = findTransaction(store, c);
      pendingUser(store, tx); // refuse early, before reading a body
      const body = await readJson(c).catch((error: unknown) => {
        throw error instanceof EmulatorError ? new EmulatorError(400, { ...error.body, state: 'pending' }) : error;
      });
      const state = await finishCeremony({ store, rp, tx, body, actor: c.var.actor });
      return c.json({ state });
    },
  });
}
