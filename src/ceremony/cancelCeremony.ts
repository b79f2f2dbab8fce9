import { WebAuthnAbortService } from '@simplewebauthn/browser';

/**
 * Aborts the WebAuthn ceremony running on this page, if any: its
 * `performRegistration` / `performAuthentication` rejects with `cancelled`.
 * For single-page apps leaving a view; an element aborts its own ceremony
 * through the `signal` it passed.
 */
export function cancelCeremony(): void {
  WebAuthnAbortService.cancelCeremony();
}
