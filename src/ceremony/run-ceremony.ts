import { WebAuthnAbortService } from '@simplewebauthn/browser';
import type { CeremonyKind } from '../types.js';
import { CeremonyError } from './ceremony-error.js';
import { checkCeremonySupport } from './check-ceremony-support.js';
import { identifyCeremonyError } from './identify-ceremony-error.js';
import { rpIdFitsHost } from './rp-id-fits-host.js';

/**
 * What `performRegistration` and `performAuthentication` share: the checks
 * that need no prompt, the caller's abort signal wired to the one abort
 * service, and every failure turned into a `CeremonyError`.
 */
export async function runCeremony<T>(
  kind: CeremonyKind,
  rpId: string | undefined,
  signal: AbortSignal | undefined,
  start: () => Promise<T>,
): Promise<T> {
  const unsupported = checkCeremonySupport();
  if (unsupported === 'insecure-context') {
    throw new CeremonyError({ code: unsupported, kind, message: 'WebAuthn needs a secure context (https:// or http://localhost)' });
  }
  if (unsupported) {
    throw new CeremonyError({ code: unsupported, kind, message: 'This browser does not support WebAuthn' });
  }
  // Checked here too, not only mapped from the browser's SecurityError: a mismatch is a site
  // configuration error and should say so before any prompt.
  if (rpId && !rpIdFitsHost(rpId, location.hostname)) {
    throw new CeremonyError({
      code: 'rp-mismatch',
      kind,
      message: `The ${kind} options are for RP ID "${rpId}", which does not fit this page's host "${location.hostname}"`,
    });
  }
  if (signal?.aborted) throw abortedError(kind, signal);

  const abort = (): void => WebAuthnAbortService.cancelCeremony();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await start();
  } catch (error) {
    // Our own abort: report the caller's reason (a deadline is `timeout`), not the service's AbortError.
    if (signal?.aborted) throw abortedError(kind, signal, error);
    throw identifyCeremonyError(error, { kind });
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

function abortedError(kind: CeremonyKind, signal: AbortSignal, error?: unknown): CeremonyError {
  const reason: unknown = signal.reason;
  // `AbortSignal.timeout()` (a client-side deadline) aborts with a TimeoutError; anything else is a cancel.
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return new CeremonyError({
    code: timedOut ? 'timeout' : 'cancelled',
    kind,
    message: timedOut ? `The ${kind} ceremony did not finish in time` : `The ${kind} ceremony was aborted`,
    cause: reason ?? error,
  });
}
