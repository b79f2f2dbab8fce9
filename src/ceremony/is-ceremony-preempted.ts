import { isCeremonyError } from './ceremony-error.js';

/**
 * Whether a ceremony was aborted from elsewhere on the page — a newer ceremony (the one abort
 * service ends the older) or `WebAuthnAbortService.cancelCeremony()` — and not by the visitor
 * (NotAllowedError), by `signal` (the caller's own), or by the browser refusing it while another
 * request is pending (a DOMException AbortError: `prompt-pending`).
 */
export function isCeremonyPreempted(error: unknown, signal: AbortSignal): boolean {
  return !signal.aborted && isCeremonyError(error) && error.code === 'cancelled';
}
