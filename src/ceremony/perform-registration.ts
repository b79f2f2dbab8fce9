import { createCredential } from './webauthn-json.js';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '../types.js';
import { runCeremony } from './run-ceremony.js';

/**
 * Creates a passkey with the options the proxy returned: checks support and
 * the RP ID first, then runs `createCredential` (`webauthn-json.ts`). Rejects with a
 * `CeremonyError`; aborting `signal` ends the prompt with `cancelled`.
 */
export function performRegistration(
  options: PublicKeyCredentialCreationOptionsJSON,
  init: { signal?: AbortSignal } = {},
): Promise<RegistrationResponseJSON> {
  return runCeremony('registration', options.rp.id, init.signal, () => createCredential(options));
}
