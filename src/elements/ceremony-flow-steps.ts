/**
 * The steps of a ceremony run that need no state of the flow: sending the
 * start request, waiting for a step unless the run is stopped, releasing a TX
 * that will not be used, and naming what went wrong.
 */
import { identifyCeremonyError, isCeremonyError } from '../ceremony/index.js';
import { isProxyError, type ProxyClient } from '../client/index.js';
import type { ErrorCode } from '../error-codes.js';
import type { CeremonyKind } from '../types.js';
import type { CeremonyStart } from '../wire.js';
import type { StartRequest } from './ceremony-flow-controller.js';

/** Sends the start request to its wire endpoint. */
export function send(client: ProxyClient, start: StartRequest): Promise<CeremonyStart> {
  if (start.endpoint === 'register') return client.register();
  return start.endpoint === 'signup' ? client.signup(start.body) : client.authenticate(start.body);
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

/** Best effort: the proxy cancels a TX that will not be used, so it does not linger as pending (`keepalive`: even as the page goes). */
export function releaseTx(client: ProxyClient, tx: string | undefined): void {
  if (tx) client.cancel(tx).catch(() => {});
}

export function toErrorCode(error: unknown, phase: 'proxy' | 'ceremony', kind: CeremonyKind): ErrorCode {
  if (isProxyError(error) || isCeremonyError(error)) return error.code;
  // Neither layer should let anything else through; if one does, say what is most likely.
  return phase === 'ceremony' ? identifyCeremonyError(error, { kind }).code : 'network';
}
