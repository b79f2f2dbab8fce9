import { getCredential } from './webauthn-json.js';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '../types.js';
import { runCeremony } from './run-ceremony.js';

/**
 * Signs in with a passkey using the options the proxy returned: checks
 * support and the RP ID first, then runs `getCredential` (`webauthn-json.ts`). Rejects with a
 * `CeremonyError`; aborting `signal` ends the prompt with `cancelled`.
 */
export function performAuthentication(
  options: PublicKeyCredentialRequestOptionsJSON,
  init: { signal?: AbortSignal } = {},
): Promise<AuthenticationResponseJSON> {
  return runCeremony('authentication', options.rpId, init.signal, () => getCredential(options));
}
