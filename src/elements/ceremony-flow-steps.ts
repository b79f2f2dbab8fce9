/**
 * The steps of a ceremony run that need no state of the flow: sending the
 * start request, waiting for a step unless the run is stopped, following an
 * approval until the user answered on their device, releasing a TX that will
 * not be used, and naming what went wrong.
 */
import { identifyCeremonyError, isCeremonyError } from '../ceremony/index.js';
import { isProxyError, type ProxyClient } from '../client/index.js';
import type { ErrorCode } from '../error-codes.js';
import type { CeremonyKind, TransactionState } from '../types.js';
import type { ApprovalStart, StartAnswer } from '../wire.js';
import type { StartRequest } from './ceremony-run.js';

/** Sends the start request to its wire endpoint; `approval` asks for approval on the user's device (`mode`). */
export function send(client: ProxyClient, start: StartRequest, approval: boolean): Promise<StartAnswer | ApprovalStart> {
  // `approve` is approval by nature and takes no `mode`.
  const body = approval && start.endpoint !== 'approve' ? { ...start.body, mode: 'approval' } : start.body;
  // Each endpoint's client method takes its body first (the compiler checks the pairs of StartRequest).
  return (client[start.endpoint] as (body: unknown) => Promise<StartAnswer | ApprovalStart>)(body);
}

/** How long one `status?wait=N` may hold, in seconds (the proxy allows 30). */
const WAIT_SECONDS = 20;

/**
 * Follows an approval until the user answered on their device: `verified`, `denied`, `cancelled`,
 * or `expired` (SendAuth says so once `expiresAt` has passed).
 */
export async function awaitApproval(client: ProxyClient, start: ApprovalStart, signal: AbortSignal): Promise<TransactionState> {
  let state: TransactionState = 'pending';
  while (state === 'pending') ({ state } = await settle(client.status(start.tx, signal, WAIT_SECONDS), signal));
  return state;
}

/**
 * Waits for `promise` unless `signal` aborts first, and treats a result that
 * arrives after the abort as aborted too, so a cancelled run never moves on.
 */
export async function settle<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {}); // settled by the race below; never an unhandled rejection
  const value = await Promise.race([promise, aborted]);
  signal.throwIfAborted();
  return value;
}

/** Best effort: the proxy cancels a TX that will not be used (with its start's proof), so it does not linger as pending (`keepalive`: even as the page goes). */
export function releaseTx(client: ProxyClient, started: { tx: string | undefined; proof: string | undefined }): void {
  if (started.tx && started.proof) client.cancel(started.tx, started.proof).catch(() => {});
}

export function toErrorCode(error: unknown, phase: 'proxy' | 'ceremony', kind: CeremonyKind): ErrorCode {
  if (isProxyError(error) || isCeremonyError(error)) return error.code;
  // Neither layer should let anything else through; if one does, say what is most likely.
  return phase === 'ceremony' ? identifyCeremonyError(error, { kind }).code : 'network';
}
