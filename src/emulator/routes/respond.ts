/**
 * The respond page of a TX, without basic auth: where the link of the TX's
 * notification leads, as SendAuth's own page would be. Every request carries
 * the link's secret; an unknown TX and a missing or wrong secret get the same
 * 403, so a TX id alone reveals and approves nothing.
 *
 * - `GET /respond/{tx}?secret={secret}` → the page (HTML).
 * - `POST /respond/{tx}/options` `{ secret }` → 200 `{ kind, options, expiresAt }`: the TX's WebAuthn
 *   options (made once per TX, shared with the assumed ceremony endpoints).
 * - `POST /respond/{tx}/response` `{ secret, response }` → 200 `{ state: "verified", message }` (a
 *   registration TX now has its passkey); 400 `{ error, state: "denied" }` when the response fails
 *   verification (the TX is denied); 400 `{ error, state: "pending" }` when it is not a WebAuthn response.
 * - `POST /respond/{tx}/deny` `{ secret }` → 200 `{ state: "denied", message }`.
 *
 * The POSTs are CSRF-safe: 415 unless `Content-Type: application/json`; 403 unless `Origin` is the
 * emulator's public origin and `Sec-Fetch-Site`, when sent, is `same-origin`. A TX that is no longer
 * pending: 409 `{ error, state }` (verified, denied, cancelled), 410 `{ error, state: "expired" }`,
 * with `error` saying so in words a person reads. Bodies over 100 KB: 413.
 */
import { bodyLimit } from 'hono/body-limit';
import type { TransactionState } from '../../types.js';
import { ceremonyOptions, finishCeremony, isVerifying, pendingUser } from '../ceremony.js';
import { EmulatorError } from '../errors.js';
import { readRequiredJson, route, type EmulatorApp, type EmulatorContext, type EmulatorDeps } from '../http.js';
import type { StoredTransaction, StoredUser } from '../model.js';
import { secretMatches } from '../notification.js';
import { DEFAULT_MESSAGES } from '../outbox.js';
import { pageResponse } from '../pages/html.js';
import { renderInvalidLinkPage, renderRespondPage, STATE_TEXT } from '../pages/respond-page.js';
import { completeTransaction, transactionState } from '../transactions.js';
import { displayName } from '../users.js';
import { isUuid } from '../validate.js';
import type { RelyingParty } from '../webauthn.js';

const MAX_BODY_BYTES = 100 * 1024;
const INVALID_LINK = 'This link is not valid: open it exactly as it was sent.';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Puts a person's words on the errors of a TX that cannot be acted on. */
function explain(error: unknown): never {
  if (!(error instanceof EmulatorError)) throw error;
  const state = error.body.state as TransactionState | undefined;
  if (state !== undefined && state !== 'pending' && (error.status === 409 || error.status === 410)) {
    throw new EmulatorError(error.status, { error: STATE_TEXT[state], state });
  }
  if (state === 'denied' && error.status === 400) {
    throw new EmulatorError(400, { error: `Your passkey could not be verified (${error.body.error}). ${STATE_TEXT.denied}`, state });
  }
  if (state === 'pending' && error.status === 409) {
    throw new EmulatorError(409, { error: 'Your passkey is being checked; wait a moment.', state });
  }
  throw error;
}

export function registerRespondRoutes(app: EmulatorApp, { store, rp, publicUrl }: EmulatorDeps): void {
  const publicOrigin = (): string => new URL(publicUrl()).origin;
  /** SendAuth's page verifies responses made on its own origin only. */
  const pageRp: RelyingParty = { ...rp, isAllowedOrigin: (origin) => origin === publicOrigin() };

  /** The TX of the path when `secret` is its link's secret; `undefined` otherwise (unknown TX, bad id, wrong secret). */
  const linkedTransaction = (c: EmulatorContext, secret: unknown): StoredTransaction | undefined => {
    const id = c.req.param('txID') ?? '';
    const tx = isUuid(id) ? store.findTransaction(id.toLowerCase()) : undefined;
    return tx !== undefined && secretMatches(tx, secret) ? tx : undefined;
  };

  const explainedPendingUser = (tx: StoredTransaction): StoredUser => {
    try {
      return pendingUser(store, tx);
    } catch (error) {
      return explain(error);
    }
  };

  /** CSRF checks, then the body and the TX its secret unlocks. */
  const respondRequest = async (c: EmulatorContext): Promise<{ tx: StoredTransaction; body: Record<string, unknown> }> => {
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
      throw new EmulatorError(415, { error: 'Send JSON: Content-Type must be application/json' });
    }
    const site = c.req.header('sec-fetch-site');
    if (c.req.header('origin') !== publicOrigin() || (site !== undefined && site !== 'same-origin')) {
      throw new EmulatorError(403, { error: `Refused: requests must come from the respond page itself (${publicOrigin()})` });
    }
    const body = await readRequiredJson(c);
    if (!isPlainObject(body)) throw new EmulatorError(400, { error: 'The body must be a JSON object with the link\'s secret' });
    const tx = linkedTransaction(c, body.secret);
    if (tx === undefined) throw new EmulatorError(403, { error: INVALID_LINK });
    return { tx, body };
  };

  app.use('/respond/*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: `Request body is larger than ${MAX_BODY_BYTES} bytes` }, 413) }));

  route(app, '/respond/:txID', {
    GET: (c) => {
      const tx = linkedTransaction(c, c.req.query('secret'));
      if (tx === undefined || tx.notification === undefined) return pageResponse(c, renderInvalidLinkPage(), 403);
      const user = store.findLiveUser(tx.subject);
      const email = tx.notification.email === undefined ? '' : ` (${tx.notification.email})`;
      const html = renderRespondPage({
        tx: tx.id,
        secret: tx.notification.secret,
        kind: tx.kind,
        state: transactionState(tx, store.now()),
        message: tx.message ?? DEFAULT_MESSAGES[tx.kind],
        subject: `${user === undefined ? tx.subjectName : displayName(user)}${email}`,
        expiresAt: tx.expiresAt,
        rpName: rp.rpName,
      });
      return pageResponse(c, html);
    },
  });

  route(app, '/respond/:txID/options', {
    POST: async (c) => {
      const { tx } = await respondRequest(c);
      return c.json(await ceremonyOptions(store, rp, tx).catch(explain));
    },
  });

  route(app, '/respond/:txID/response', {
    POST: async (c) => {
      const { tx, body } = await respondRequest(c);
      const user = explainedPendingUser(tx);
      const state = await finishCeremony({ store, rp: pageRp, tx, body: body.response, actor: user.username }).catch(explain);
      return c.json({ state, message: STATE_TEXT[state] });
    },
  });

  route(app, '/respond/:txID/deny', {
    POST: async (c) => {
      const { tx } = await respondRequest(c);
      const user = explainedPendingUser(tx);
      if (isVerifying(tx)) explain(new EmulatorError(409, { error: 'A response is being verified', state: 'pending' }));
      completeTransaction(tx, 'denied', store.now());
      store.audit(user, 'denied', user.username, { tx: tx.id, reason: 'Denied on the respond page' });
      await store.save();
      return c.json({ state: 'denied' as const, message: STATE_TEXT.denied });
    },
  });
}
