/** Why this page cannot run a WebAuthn ceremony at all, or `undefined` when it can. */
export function checkCeremonySupport(): 'insecure-context' | 'not-supported' | undefined {
  // Server-side rendering, workers: there is no page to show a prompt on.
  if (typeof window === 'undefined' || typeof navigator === 'undefined') return 'not-supported';
  // `PublicKeyCredential` and `navigator.credentials` are [SecureContext]: check this first, or an
  // http:// page would be told its browser is too old.
  if (!window.isSecureContext) return 'insecure-context';
  if (typeof window.PublicKeyCredential !== 'function' || typeof navigator.credentials?.create !== 'function') {
    return 'not-supported';
  }
  return undefined;
}
