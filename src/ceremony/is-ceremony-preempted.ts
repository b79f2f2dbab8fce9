import { isCeremonyError } from './ceremony-error.js';

/**
 * Whether a ceremony was aborted from elsewhere on the page — a newer ceremony (the one abort
 * service ends the older) or `WebAuthnAbortService.cancelCeremony()` — and not by the visitor (NotAllowedError) or by
 * `signal`, the caller's own.
 */
export function isCeremonyPreempted(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted || !isCeremonyError(error) || error.code !== 'cancelled') return false;
  return (error.cause as Error | undefined)?.name === 'AbortError';
}
