/**
 * The second half of every start (`authenticate`, `register`, `signup`,
 * `approve`): the TX exists at SendAuth; bind it to its user and flow and
 * answer what the browser needs, in one round trip (DESIGN.md):
 *
 * - `mode: "webauthn"`: the TX's WebAuthn options, from the assumed ceremony endpoints (`api/ceremony.ts`),
 *   and the proof the starting browser cancels it with;
 * - `mode: "approval"`: SendAuth has notified the user, who approves on their own device; the
 *   answer carries when the TX expires, the code, where the notification went, and the proof the
 *   starting browser completes it with.
 *
 * The proxy's `ceremony` option chooses: `webauthn`, `approval` (the ceremony endpoints are never
 * called), or `auto` — one GET of the options, and approval where SendAuth does not serve them.
 * A TX that cannot be started either way is cancelled, so nothing half-done is left at SendAuth.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isSendAuthError } from '../api/errors.js';
import type { CeremonyKind, CeremonyOptions, User } from '../types.js';
import type { ApprovalStart, CeremonyStart, StartAnswer } from '../wire.js';
import { maskedDestinations } from './approval-notice.js';
import { upstream, type ProxyDeps } from './http.js';
import { ProxyRefusal } from './proxy-refusal.js';
import { BINDING_MARGIN_MS, type TxBinding } from './tx-bindings.js';

/** SendAuth's documented TX lifetime, for a TX whose own `expiresAt` cannot be read. */
const TX_LIFETIME_MS = 5 * 60_000;
/** Bytes of randomness in a completion proof (256 bits). */
const PROOF_BYTES = 32;

/** What a start knows once SendAuth has created its TX. */
export interface TxToStart {
  tx: string;
  userId: string;
  kind: CeremonyKind;
  flow: TxBinding['flow'];
  /** Whether approval was asked for (by the browser or the `ceremony` option), so no options are fetched. */
  approval: boolean;
  /** The code shown by the element (and in the WebTX message of an authentication TX). */
  code: string;
  /** The key the approval limit counts on (its start was not counted yet when `approval` is false). */
  approvalKey: string;
  /** The user, when the route already has it (sign-up); else it is read for `sentTo`. */
  user?: User;
  /** A step-up's message. */
  message?: string;
}

export function proofHash(proof: string): string {
  return createHash('sha256').update(proof).digest('hex');
}

/** A new proof for the starting browser, and the SHA-256 the binding keeps (never the proof itself). */
function newProof(): { proof: string; proofHash: string } {
  const proof = randomBytes(PROOF_BYTES).toString('base64url');
  return { proof, proofHash: proofHash(proof) };
}

/** SHA-256 (hex) of a WebAuthn challenge's bytes (base64url or base64, padded or not: the same bytes, the same hash). */
export function challengeHash(challenge: string): string {
  return createHash('sha256').update(Buffer.from(challenge, 'base64url')).digest('hex');
}

/** Whether `proof` is the one the start handed out for `binding` (constant time); false for a binding without one. */
export function proofMatches(proof: string, binding: Pick<TxBinding, 'proofHash'>): boolean {
  if (!binding.proofHash) return false;
  const given = Buffer.from(proofHash(proof));
  const kept = Buffer.from(binding.proofHash);
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/** Counts an approval start against the stricter approval limit (`approval.rateLimit`); 429 over it. */
export async function approvalRateLimit(deps: ProxyDeps, key: string): Promise<void> {
  const retryAfter = await deps.approvalLimiter.check([`approval:${key}`]);
  if (retryAfter !== undefined) {
    throw new ProxyRefusal('rate-limited', `Too many approval requests. Try again in ${retryAfter} seconds.`, {
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
}

/** Whether the browser's `mode` asks for approval; 400 when this site has turned approval off (`ceremony: "webauthn"`). */
export function wantsApproval(deps: ProxyDeps, mode: 'approval' | undefined): boolean {
  if (mode === 'approval' && deps.ceremony === 'webauthn') {
    throw new ProxyRefusal('invalid-request', 'Approval on another device is not enabled on this site.');
  }
  return mode === 'approval' || deps.ceremony === 'approval';
}

/** A sign-in or enrolment (`authenticate`, `register`, `signup`): in-browser ceremony or approval, as above. */
export function startTx(deps: ProxyDeps, start: TxToStart & { flow: Exclude<TxBinding['flow'], 'approve'> }): Promise<StartAnswer> {
  return cancelOnFailure(deps, start, async (tx) => {
    if (!start.approval) {
      const ceremony = await ceremonyOptions(deps, tx);
      if (ceremony) return webauthnStart(deps, { ...start, tx }, ceremony);
      await approvalRateLimit(deps, start.approvalKey);
    }
    // Not a step-up, so `kind` is the TX's own.
    return (await approvalStart(deps, { ...start, tx })) as ApprovalStart & { kind: CeremonyKind };
  });
}

/** A step-up (`approve`): always approval. */
export function startStepUp(deps: ProxyDeps, start: TxToStart & { flow: 'approve'; message: string }): Promise<ApprovalStart> {
  return cancelOnFailure(deps, start, (tx) => approvalStart(deps, { ...start, tx }));
}

async function cancelOnFailure<T>(deps: ProxyDeps, start: TxToStart, run: (tx: string) => Promise<T>): Promise<T> {
  // Bindings are keyed by the lower-case id, as `checkTxId` reads it back from the browser.
  const tx = start.tx.toLowerCase();
  try {
    return await run(tx);
  } catch (error) {
    await deps.sendauth.cancelTransaction(tx).catch(() => undefined);
    throw error;
  }
}

/** The TX's WebAuthn options; with `ceremony: "auto"`, `undefined` when SendAuth does not serve them (404, 405, 501). */
async function ceremonyOptions(deps: ProxyDeps, tx: string): Promise<CeremonyOptions | undefined> {
  try {
    return await deps.sendauth.getCeremony(tx);
  } catch (error) {
    // The TX was created a moment ago, so a 404 here is the endpoint, not the TX.
    if (deps.ceremony === 'auto' && isSendAuthError(error) && [404, 405, 501].includes(error.status)) return undefined;
    return upstream(deps, () => Promise.reject(error));
  }
}

/** The binding lives as long as the TX (however long SendAuth gives it), and a margin more. */
function bindingExpiry(deps: ProxyDeps, txExpiresAt: number): number {
  return (Number.isFinite(txExpiresAt) ? Math.max(txExpiresAt, deps.now()) : deps.now() + TX_LIFETIME_MS) + BINDING_MARGIN_MS;
}

async function webauthnStart(deps: ProxyDeps, start: TxToStart, ceremony: CeremonyOptions): Promise<CeremonyStart> {
  const { tx, userId, kind, flow } = start;
  if (ceremony.kind !== kind) {
    throw new ProxyRefusal('upstream', `SendAuth answered ${ceremony.kind} options for a ${kind} transaction.`);
  }
  const { proof, proofHash } = newProof();
  const expiresAt = bindingExpiry(deps, Date.parse(ceremony.expiresAt));
  const binding: TxBinding = { userId, kind, flow, state: 'started', expiresAt, proofHash, challengeHash: challengeHash(ceremony.options.challenge) };
  await deps.bindings.set(tx, binding);
  return ceremony.kind === 'registration'
    ? { tx, kind: 'registration', mode: 'webauthn', options: ceremony.options, proof }
    : { tx, kind: 'authentication', mode: 'webauthn', options: ceremony.options, proof };
}

async function approvalStart(deps: ProxyDeps, start: TxToStart): Promise<ApprovalStart> {
  const { tx, userId, kind, flow, code, message } = start;
  const [txExpiresAt, user] = await Promise.all([readTxExpiry(deps, userId, tx), start.user ?? readUser(deps, userId)]);
  const { proof, proofHash } = newProof();
  const binding: TxBinding = { userId, kind, flow, state: 'started', expiresAt: bindingExpiry(deps, txExpiresAt), mode: 'approval', proofHash };
  if (message !== undefined) binding.message = message;
  await deps.bindings.set(tx, binding);
  const expiresAt = new Date(Number.isFinite(txExpiresAt) ? txExpiresAt : binding.expiresAt - BINDING_MARGIN_MS).toISOString();
  const sentTo = user ? maskedDestinations(user) : [];
  return { tx, kind: flow === 'approve' ? 'approval' : kind, mode: 'approval', expiresAt, code, sentTo, proof };
}

/**
 * The TX's own `expiresAt`, from the user's transactions (newest first in SendAuth's answer); NaN
 * when it cannot be read (the documented five minutes are used then). Best effort: a failure is
 * reported, never a refused start.
 */
async function readTxExpiry(deps: ProxyDeps, userId: string, tx: string): Promise<number> {
  try {
    const { rows } = await deps.sendauth.getUserTransactions(userId, { perPage: 20 });
    const row = rows.find((transaction) => transaction.id.toLowerCase() === tx);
    return row ? Date.parse(row.expiresAt) : Number.NaN;
  } catch (error) {
    deps.reportError(error);
    return Number.NaN;
  }
}

/** The user, for where the notification went; best effort like `readTxExpiry`. */
async function readUser(deps: ProxyDeps, userId: string): Promise<User | undefined> {
  try {
    return await deps.sendauth.getUser(userId);
  } catch (error) {
    deps.reportError(error);
    return undefined;
  }
}
