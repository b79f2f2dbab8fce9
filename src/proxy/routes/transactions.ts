/**
 * Following a started TX: `verify` (the WebAuthn response, confirmed with
 * SendAuth before `onVerified` opens the site's session), `status` (with
 * `?wait=N`, once the TX leaves `pending`), `cancel` (only for the browser
 * that started the TX: its `proof`, and for `register` and a step-up its session).
 * Every one needs the binding this proxy made when it started the TX, and
 * none lets a visitor's loop spend the site's SendAuth quota: `status` reads
 * the state through the follower (one `check` per interval and TX), `verify`
 * and `cancel` count against the TX's budget (`countTxAttempt`).
 */
import { randomUUID } from 'node:crypto';
import { isSendAuthError } from '../../api/errors.js';
import { countTxAttempt, readJson, refuseOverBudget, route, upstream, verifiedAnswer, type ProxyApp, type ProxyDeps } from '../http.js';
import { ProxyRefusal } from '../proxy-refusal.js';
import type { CeremonyResponse } from '../../types.js';
import { txKey, type TxBinding } from '../tx-bindings.js';
import { challengeHash, proofMatches } from '../start-tx.js';
import { checkCeremonyResponse, checkProofRequest, checkTxId, checkWait } from '../validate.js';

export function registerTransactionRoutes(app: ProxyApp, deps: ProxyDeps): void {
  const { sendauth, bindings } = deps;

  async function knownBinding(tx: string): Promise<TxBinding> {
    const binding = await bindings.get(tx);
    if (!binding) throw new ProxyRefusal('tx-not-found', 'This transaction was not started here, or it has expired.');
    return binding;
  }

  route(app, 'verify', async (c) => {
    const tx = checkTxId(c.req.param('tx') ?? '');
    const body = await readJson(c).catch((error: unknown) => error);
    let response: CeremonyResponse;
    try {
      if (body instanceof Error) throw body;
      response = checkCeremonyResponse(body, undefined);
    } catch (error) {
      // A body that is no WebAuthn response: what is wrong with the TX is said first, then the
      // body's fault as this TX's kind words it.
      const binding = await knownBinding(tx);
      refuseApprovalMode(binding);
      if (!(body instanceof Error)) checkCeremonyResponse(body, binding.kind);
      throw error;
    }
    const kind = 'attestationObject' in response.response ? 'registration' : 'authentication';
    // A register TX is verified only from its user's session. Checked before the claim (one read
    // more, for enrolments alone), so a request from another session spends none of the TX's budget
    // and never holds its marker while the owner's own verify arrives.
    if (kind === 'registration') {
      const binding = await bindings.get(tx);
      if (binding?.flow === 'register' && (await deps.getSessionUserId(c.req.raw)) !== binding.userId) {
        throw new ProxyRefusal('forbidden', 'This passkey enrolment belongs to another session.');
      }
    }
    // The binding read, checked and, when this request may go on, the TX's verify marker taken and
    // its budget counted: one round trip to a shared store. Only a response made for this TX's
    // options (which only its starter got) matches, so a stranger who knows the TX id spends none
    // of its budget and holds no marker. The marker makes verify once-only across every instance:
    // it lives as long as the binding, so after a success every later verify finds it held (as
    // `complete`'s marker does); a failed try removes it, and lets the next one in.
    const claim = await bindings.claimVerify(tx, { kind, challengeHash: responseChallengeHash(response) ?? '' }, randomUUID());
    const binding = claim.binding;
    if (!binding) throw new ProxyRefusal('tx-not-found', 'This transaction was not started here, or it has expired.');
    if (!claim.claimed) {
      refuseAgainst(binding, response);
      throw new ProxyRefusal('replayed', 'This transaction was already verified, or is being verified now.');
    }
    const { flow, userId } = binding;
    let verified = false;
    try {
      refuseOverBudget(deps, claim.budget);
      await upstream(deps, () => sendauth.completeCeremony(tx, response));
      // Never trust the ceremony answer alone, let alone the browser: ask SendAuth for the state.
      const { state } = await upstream(deps, () => sendauth.checkTransaction(tx));
      if (state !== 'verified') {
        throw state === 'expired'
          ? new ProxyRefusal('tx-expired', 'This sign-in request has expired; start again.')
          : new ProxyRefusal('tx-denied', `SendAuth did not verify this transaction (it is ${state}).`);
      }
      verified = true;
    } finally {
      // A failed try lets the next one in (SendAuth has the last word on the TX anyway); it expires by itself too.
      if (!verified) await deps.store.delete(txKey('verifying', tx)).catch(() => undefined);
    }
    // The binding learns `verified` while the site opens its session, so a status request hears it
    // at once, without a look at SendAuth. The marker above already refuses every later verify, so
    // this write's failure (reported by the guarded store) must not turn a verified sign-in into an
    // error.
    const [answer] = await Promise.all([
      verifiedAnswer(deps, c, { tx, userId, kind: binding.kind, flow }),
      bindings.set(tx, { ...binding, state: 'verified' }).catch(() => undefined),
    ]);
    return answer;
  });

  route(app, 'status', async (c) => {
    const tx = checkTxId(c.req.param('tx') ?? '');
    const waitSeconds = checkWait(c.req.query('wait'));
    const binding = await knownBinding(tx);
    // What this proxy did to the TX itself, it knows without asking.
    if (binding.state !== 'started') return { answer: { state: binding.state } };
    // One look at SendAuth per interval and TX, however many browsers ask or wait, and however
    // often (tx-follower.ts): a loop over GET cannot spend the site's SendAuth quota.
    return { answer: { state: await deps.follower.wait(tx, binding.expiresAt, (waitSeconds ?? 0) * 1000, c.req.raw.signal) } };
  });

  route(app, 'cancel', async (c) => {
    const tx = checkTxId(c.req.param('tx') ?? '');
    const binding = await knownBinding(tx);
    const { proof } = checkProofRequest(await readJson(c), 'cancel');
    // A TX id alone cancels nothing: it is in the person's notification link, and a stranger who
    // learns it must not end someone else's sign-in (nor spend its budget of SendAuth calls).
    if (!proofMatches(proof, binding)) throw new ProxyRefusal('forbidden', 'Only the browser that started this request can cancel it.');
    if ((binding.flow === 'register' || binding.flow === 'approve') && (await deps.getSessionUserId(c.req.raw)) !== binding.userId) {
      throw new ProxyRefusal('forbidden', 'This request belongs to another session.');
    }
    if (binding.state === 'cancelled') return { answer: { state: 'cancelled' } };
    if (binding.state === 'verified') {
      throw new ProxyRefusal('invalid-request', 'This transaction is already verified; it cannot be cancelled.', { status: 409 });
    }
    await countTxAttempt(deps, tx, binding);
    try {
      await sendauth.cancelTransaction(tx);
    } catch (error) {
      if (isSendAuthError(error) && error.code === 'invalid-request') {
        const state = await deps.follower.wait(tx, binding.expiresAt, 0);
        throw new ProxyRefusal('invalid-request', `This transaction is already ${state}; it cannot be cancelled.`, { status: 409 });
      }
      return upstream(deps, () => Promise.reject(error));
    }
    await bindings.set(tx, { ...binding, state: 'cancelled' });
    return { answer: { state: 'cancelled' } };
  });
}

/** SHA-256 of the challenge in the response's `clientDataJSON`; `undefined` when it holds none (SendAuth would refuse it too). */
/** A verify of an approval TX: 409, it is completed with `complete`. */
function refuseApprovalMode(binding: TxBinding): void {
  if (binding.mode === 'approval') {
    throw new ProxyRefusal('invalid-request', 'This transaction is approved on the user’s device; complete it with POST tx/{tx}/complete.', { status: 409 });
  }
}

/**
 * Why a verify that did not claim its TX is refused, as its binding says, checked in this order: an
 * approval TX (409), a response of the other kind, one made for another challenge, a TX already
 * verified (`replayed`) or cancelled. Returns when none applies (another verify holds the marker).
 */
function refuseAgainst(binding: TxBinding, response: CeremonyResponse): void {
  refuseApprovalMode(binding);
  checkCeremonyResponse(response, binding.kind);
  if (binding.challengeHash !== responseChallengeHash(response)) {
    throw new ProxyRefusal('invalid-request', 'This WebAuthn response was not made for this transaction (its challenge differs).');
  }
  if (binding.state === 'verified') throw new ProxyRefusal('replayed', 'This transaction was already verified.');
  if (binding.state === 'cancelled') throw new ProxyRefusal('cancelled', 'This transaction was cancelled.');
}

function responseChallengeHash(response: CeremonyResponse): string | undefined {
  try {
    const clientData: unknown = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' ? challengeHash(challenge) : undefined;
  } catch {
    return undefined;
  }
}
