/**
 * The WebAuthn half of a transaction, with `@simplewebauthn/server`: the
 * options handed out for a TX, and the real verification of the response
 * (challenge, origin, RP ID, user verification, signature, counter).
 * Verification never throws for a bad response: it returns why it failed, and
 * the caller denies the TX.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, CeremonyKind, RegistrationResponseJSON } from '../types.js';
import type { StoredCeremony, StoredPasskey, StoredUser } from './model.js';
import { displayName } from './users.js';
import type { ParsedResponse } from './webauthn-response.js';

export interface RelyingParty {
  rpID: string;
  rpName: string;
  /** Whether a `clientDataJSON.origin` is one of ours. */
  isAllowedOrigin(origin: string): boolean;
}

/** The credential descriptors of a user's passkeys, for excludeCredentials / allowCredentials. */
function descriptors(passkeys: readonly StoredPasskey[]): { id: string; transports?: string[] }[] {
  return passkeys.map((p) => (p.transports === undefined ? { id: p.id } : { id: p.id, transports: p.transports }));
}

/** The user handle of a user: the UTF-8 bytes of their id (base64url on the wire). */
export function userHandleOf(user: Pick<StoredUser, 'id'>): string {
  return isoBase64URL.fromUTF8String(user.id);
}

/** Options for a TX's ceremony; made once per TX (the challenge is stored with them). */
export async function createCeremony(
  kind: CeremonyKind,
  user: StoredUser,
  passkeys: readonly StoredPasskey[],
  rp: RelyingParty,
): Promise<StoredCeremony> {
  if (kind === 'registration') {
    const options = await generateRegistrationOptions({
      rpName: rp.rpName,
      rpID: rp.rpID,
      userName: user.username,
      userID: isoUint8Array.fromUTF8String(user.id),
      userDisplayName: displayName(user),
      attestationType: 'none',
      excludeCredentials: descriptors(passkeys),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
    return { kind, challenge: options.challenge, options };
  }
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: descriptors(passkeys),
    userVerification: 'required',
  });
  return { kind, challenge: options.challenge, options };
}

export type VerificationResult<T> = { verified: true; value: T } | { verified: false; reason: string };

function deny(reason: string): { verified: false; reason: string } {
  return { verified: false, reason };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The new passkey of a verified registration. */
export type NewPasskey = Pick<StoredPasskey, 'id' | 'publicKey' | 'counter' | 'transports'>;

export async function verifyRegistration(
  parsed: ParsedResponse<RegistrationResponseJSON>,
  challenge: string,
  rp: RelyingParty,
): Promise<VerificationResult<NewPasskey>> {
  if (!rp.isAllowedOrigin(parsed.clientData.origin)) {
    return deny(`Origin ${JSON.stringify(parsed.clientData.origin)} is not allowed`);
  }
  try {
    const result = await verifyRegistrationResponse({
      response: parsed.response,
      expectedChallenge: challenge,
      expectedOrigin: parsed.clientData.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
    if (!result.verified) return deny('Registration response could not be verified');
    const { credential } = result.registrationInfo;
    const passkey: NewPasskey = {
      id: credential.id,
      publicKey: isoBase64URL.fromBuffer(credential.publicKey),
      counter: credential.counter,
    };
    const transports = parsed.response.response.transports;
    if (transports !== undefined) passkey.transports = [...transports];
    return { verified: true, value: passkey };
  } catch (error) {
    return deny(reasonOf(error));
  }
}

/** A verified authentication: which passkey, and its new counter. */
export interface Assertion {
  credentialId: string;
  newCounter: number;
}

export async function verifyAuthentication(
  parsed: ParsedResponse<AuthenticationResponseJSON>,
  challenge: string,
  user: StoredUser,
  passkeys: readonly StoredPasskey[],
  rp: RelyingParty,
): Promise<VerificationResult<Assertion>> {
  if (!rp.isAllowedOrigin(parsed.clientData.origin)) {
    return deny(`Origin ${JSON.stringify(parsed.clientData.origin)} is not allowed`);
  }
  const passkey = passkeys.find((p) => p.id === parsed.response.id);
  if (passkey === undefined) return deny(`Credential ${parsed.response.id} is not a passkey of this transaction's user`);
  const userHandle = parsed.response.response.userHandle;
  if (userHandle !== undefined && userHandle !== userHandleOf(user)) {
    return deny("userHandle does not match this transaction's user");
  }
  try {
    const result = await verifyAuthenticationResponse({
      response: parsed.response,
      expectedChallenge: challenge,
      expectedOrigin: parsed.clientData.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: passkey.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        ...(passkey.transports === undefined ? {} : { transports: passkey.transports }),
      },
      requireUserVerification: true,
    });
    if (!result.verified) return deny('Signature verification failed');
    return { verified: true, value: { credentialId: passkey.id, newCounter: result.authenticationInfo.newCounter } };
  } catch (error) {
    return deny(reasonOf(error));
  }
}
