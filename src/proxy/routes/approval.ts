/**
 * Approval on the user's own device (DESIGN.md): `approve` starts a step-up
 * for the signed-in user; `complete` ends an approval-mode TX once SendAuth
 * says `verified`, once, and only for the browser that started it.
 *
 * How completion is bound to the starting browser: the start answers a
 * `proof` (256 random bits) that only that browser receives; the proxy keeps
 * its SHA-256 in the TX's binding, and `complete` needs the proof itself. A
 * secret in the answer rather than an HttpOnly cookie: it works the same on
 * every runtime and mount (no `Secure` on http://localhost, `SameSite`, `Path`
 * or third-party-cookie rules), several elements on one page each hold their
 * own, the browser never sends it by itself (nothing for a cross-site request
 * to ride on), and it lives as long as the page that waits, which is also how
 * long the TX may be completed. (A script injected into that page could send
 * the request with a cookie just as well, so HttpOnly would buy nothing.)
 */
import { approvalWebTx, newApprovalCode } from '../approval-notice.js';
import { countTxAttempt, ipKeys, rateLimit, readJson, route, sessionUserId, upstream, verifiedAnswer, type ProxyApp, type ProxyDeps } from '../http.js';
import { ProxyRefusal } from '../proxy-refusal.js';
import { approvalRateLimit, proofMatches, startStepUp } from '../start-tx.js';
import { checkApproveRequest, checkProofRequest, checkTxId } from '../validate.js';
import { txKey } from '../tx-bindings.js';
import { userLimitKey } from '../rate-limit.js';
import { notice } from './starts.js';

export function registerApprovalRoutes(app: ProxyApp, deps: ProxyDeps): void {
  const { sendauth, bindings } = deps;

  route(app, 'approve', async (c) => {
    const { message } = checkApproveRequest(await readJson(c));
    const userId = await sessionUserId(deps, c);
    const userKey = userLimitKey(userId);
    await rateLimit(deps, ipKeys(deps, c));
    await approvalRateLimit(deps, userKey);
    const code = newApprovalCode();
    const { tx } = await upstream(deps, () => sendauth.authenticateUser(userId, approvalWebTx(notice(deps, c, code, message))));
    const start = { tx, userId, kind: 'authentication', flow: 'approve', approval: true, code, approvalKey: userKey, message } as const;
    return { answer: await startStepUp(deps, start) };
  });

  route(app, 'complete', async (c) => {
    const tx = checkTxId(c.req.param('tx') ?? '');
    const binding = await bindings.get(tx);
    if (!binding) throw new ProxyRefusal('tx-not-found', 'This transaction was not started here, or it has expired.');
    const { proof } = checkProofRequest(await readJson(c), 'complete');
    if (binding.mode !== 'approval' || !binding.proofHash) {
      throw new ProxyRefusal('invalid-request', 'This transaction is completed with a passkey in the browser (verify).', { status: 409 });
    }
    if (!proofMatches(proof, binding)) {
      throw new ProxyRefusal('forbidden', 'Only the browser that started this request can complete it.');
    }
    if ((binding.flow === 'register' || binding.flow === 'approve') && (await deps.getSessionUserId(c.req.raw)) !== binding.userId) {
      throw new ProxyRefusal('forbidden', 'This request belongs to another session.');
    }
    if (binding.state === 'cancelled') throw new ProxyRefusal('cancelled', 'This transaction was cancelled.');
    if (binding.state === 'verified') throw new ProxyRefusal('replayed', 'This transaction was already completed.');
    // Once-only across every instance sharing the store: while one completion asks SendAuth, or
    // once it has succeeded, another is a replay (and costs SendAuth nothing). One that finds the TX
    // not verified lets the next one in. The binding's `verified` above is the second guard, should
    // the marker be lost (a Redis that evicts keys).
    const marker = txKey('completed', tx);
    if (!(await deps.store.setIfAbsent(marker, '1', Math.max(1, binding.expiresAt - deps.now())))) {
      throw new ProxyRefusal('replayed', 'This transaction was already completed.');
    }
    let completed = false;
    try {
      await countTxAttempt(deps, tx, binding);
      // Never the browser's word: SendAuth says whether the user approved.
      const { state } = await upstream(deps, () => sendauth.checkTransaction(tx));
      if (state !== 'verified') throw notVerified(state);
      await bindings.set(tx, { ...binding, state: 'verified' });
      completed = true;
    } finally {
      if (!completed) await deps.store.delete(marker).catch(() => undefined); // it expires by itself too
    }
    const { userId, kind } = binding;
    // A step-up opens no session: the site confirms the action with `confirmApproval`.
    if (binding.flow === 'approve') return { answer: { state: 'verified', kind: 'approval', userId } };
    return verifiedAnswer(deps, c, { tx, userId, kind, flow: binding.flow });
  });
}

function notVerified(state: string): ProxyRefusal {
  switch (state) {
    case 'pending':
      return new ProxyRefusal('invalid-request', 'This request has not been approved yet; wait for it (GET tx/{tx}?wait=N).', { status: 409 });
    case 'denied':
      return new ProxyRefusal('tx-denied', 'The user denied this request.');
    case 'expired':
      return new ProxyRefusal('tx-expired', 'This request has expired; start again.');
    default:
      return new ProxyRefusal('cancelled', 'This request was cancelled.');
  }
}
