/**
 * `proxy.confirmApproval`: the site's server asks, before it acts, whether
 * the signed-in user approved exactly this action on their own device
 * (a step-up started by `<sendauth-approve>` through `POST approve`).
 */
import { isUuid } from '../field-rules.js';
import type { ProxyDeps } from './http.js';
import { upstream } from './http.js';
import { BINDING_MARGIN_MS, txKey } from './tx-bindings.js';

/** What the site confirms: the TX the element reported, the site's own idea of the user and of the action. */
export interface ApprovalToConfirm {
  /** The TX of `sendauth-success` (`{ kind: "approval", tx }`). */
  tx: string;
  /** The user the site acts for: its session's SendAuth user id, never one the browser names. */
  userId: string;
  /** The action exactly as the element's `message` said it (e.g. `Change your email to ada@example.com`). */
  message: string;
}

/**
 * True only when SendAuth says the TX is `verified`, this proxy started it as a step-up for
 * `userId` with exactly `message`, and it was not confirmed before: one action per approval,
 * across every instance sharing the proxy's store. False for anything else, including a TX past
 * its lifetime (plus a minute). Rejects (a `ProxyRefusal` `upstream`) when SendAuth or the store
 * cannot be asked: a site treats that as a refusal too.
 */
export async function confirmApproval(deps: ProxyDeps, approval: ApprovalToConfirm): Promise<boolean> {
  const { tx: given, userId, message } = approval ?? {};
  if (!isUuid(given) || typeof userId !== 'string' || typeof message !== 'string') return false;
  const tx = given.toLowerCase();
  const binding = await deps.bindings.get(tx);
  if (binding?.flow !== 'approve' || binding.userId.toLowerCase() !== userId.toLowerCase() || binding.message !== message) return false;
  const { state } = await upstream(deps, () => deps.sendauth.checkTransaction(tx));
  if (state !== 'verified') return false;
  // The marker outlives the binding by its margin: on an instance whose clock runs ahead, a marker
  // of the binding's own lifetime would expire first, and another instance would confirm again.
  return deps.store.setIfAbsent(txKey('confirmed', tx), '1', Math.max(1, binding.expiresAt - deps.now()) + BINDING_MARGIN_MS);
}
