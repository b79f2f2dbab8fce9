/**
 * The two WebAuthn calls with JSON in and out, as `@simplewebauthn/browser`
 * 14.0.0's `startRegistration` / `startAuthentication` make them
 * (methods/start*.js, followed line by line), on its own base64url helpers
 * and its one `WebAuthnAbortService` (so a newer ceremony on the page still
 * aborts the older). Left out: what the elements never use (conditional
 * mediation and auto-register, the call-shape warnings) and SimpleWebAuthn's
 * error wrapping — `identifyCeremonyError` maps the browser's own
 * DOMException by its name. Together 2 KB gzip less in the drop-in file,
 * which is what makes room for every element in its 16 KB budget.
 */
import { base64URLStringToBuffer, bufferToBase64URLString, WebAuthnAbortService } from '@simplewebauthn/browser';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../types.js';

type DescriptorJSON = NonNullable<PublicKeyCredentialRequestOptionsJSON['allowCredentials']>[number];

function toDescriptor(descriptor: DescriptorJSON): PublicKeyCredentialDescriptor {
  return { ...descriptor, id: base64URLStringToBuffer(descriptor.id) } as PublicKeyCredentialDescriptor;
}

/** `cross-platform` or `platform`; anything else (an extension's invention) is left out. */
function toAttachment(attachment: string | null): AuthenticatorAttachment | undefined {
  return attachment === 'platform' || attachment === 'cross-platform' ? attachment : undefined;
}

/** The optional L3 getters of an attestation response; an extension that implements one wrongly throws. */
function tryRead<T>(read: (() => T) | undefined): T | undefined {
  try {
    return read?.();
  } catch {
    return undefined;
  }
}

/** `navigator.credentials.create()` for the options, the credential as `RegistrationResponseJSON`. Rejects with what the browser threw. */
export async function createCredential(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
  const publicKey = {
    ...options,
    challenge: base64URLStringToBuffer(options.challenge),
    user: { ...options.user, id: base64URLStringToBuffer(options.user.id) },
    excludeCredentials: options.excludeCredentials?.map(toDescriptor),
  } as PublicKeyCredentialCreationOptions;
  const credential = (await navigator.credentials.create({ publicKey, signal: WebAuthnAbortService.createNewAbortSignal() })) as PublicKeyCredential | null;
  if (!credential) throw new Error('Registration was not completed');
  const response = credential.response as AuthenticatorAttestationResponse;
  const publicKeyBytes = tryRead(response.getPublicKey?.bind(response));
  const authenticatorData = tryRead(response.getAuthenticatorData?.bind(response));
  return {
    id: credential.id,
    rawId: bufferToBase64URLString(credential.rawId),
    response: {
      attestationObject: bufferToBase64URLString(response.attestationObject),
      clientDataJSON: bufferToBase64URLString(response.clientDataJSON),
      transports: tryRead(response.getTransports?.bind(response)) as RegistrationResponseJSON['response']['transports'],
      publicKeyAlgorithm: tryRead(response.getPublicKeyAlgorithm?.bind(response)),
      publicKey: publicKeyBytes ? bufferToBase64URLString(publicKeyBytes) : undefined,
      authenticatorData: authenticatorData ? bufferToBase64URLString(authenticatorData) : undefined,
    },
    type: 'public-key',
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: toAttachment(credential.authenticatorAttachment),
  };
}

/** `navigator.credentials.get()` for the options, the assertion as `AuthenticationResponseJSON`. Rejects with what the browser threw. */
export async function getCredential(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON> {
  const publicKey = {
    ...options,
    challenge: base64URLStringToBuffer(options.challenge),
    allowCredentials: options.allowCredentials?.length ? options.allowCredentials.map(toDescriptor) : undefined,
  } as PublicKeyCredentialRequestOptions;
  const credential = (await navigator.credentials.get({ publicKey, signal: WebAuthnAbortService.createNewAbortSignal() })) as PublicKeyCredential | null;
  if (!credential) throw new Error('Authentication was not completed');
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: bufferToBase64URLString(credential.rawId),
    response: {
      authenticatorData: bufferToBase64URLString(response.authenticatorData),
      clientDataJSON: bufferToBase64URLString(response.clientDataJSON),
      signature: bufferToBase64URLString(response.signature),
      userHandle: response.userHandle ? bufferToBase64URLString(response.userHandle) : undefined,
    },
    type: 'public-key',
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: toAttachment(credential.authenticatorAttachment),
  };
}
