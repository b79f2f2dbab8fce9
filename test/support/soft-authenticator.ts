/**
 * A software WebAuthn authenticator for server-side tests (Node crypto, no
 * browser): ES256 keys, `none` attestation, user presence and verification
 * always asserted. It builds the same JSON a browser gives
 * `@simplewebauthn/browser`'s callers, so responses verify for real, and can
 * be told to lie (another origin or challenge, a tampered signature, a reused
 * counter) to test the refusals.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../../src/types.js';

const ES256 = -7;
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

interface SoftCredential {
  id: string;
  rpId: string;
  userHandle: string;
  counter: number;
  privateKey: KeyObject;
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** An error named like the DOMException a browser would throw, so tests can match on `name`. */
function authenticatorError(name: 'InvalidStateError' | 'NotAllowedError' | 'NotSupportedError', message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export class SoftAuthenticator {
  private readonly origin: string;
  private readonly stored: SoftCredential[] = [];

  constructor(options: { origin: string }) {
    this.origin = options.origin;
  }

  /** The remembered credentials (copies; the private keys stay inside). */
  get credentials(): ReadonlyArray<{ id: string; rpId: string; userHandle: string; counter: number }> {
    return this.stored.map(({ id, rpId, userHandle, counter }) => ({ id, rpId, userHandle, counter }));
  }

  /** ES256 key pair, 'none' attestation, flags UP+UV+AT, remembers the credential (rpId, user handle, counter). */
  async register(
    options: PublicKeyCredentialCreationOptionsJSON,
    override: { origin?: string; challenge?: string } = {},
  ): Promise<RegistrationResponseJSON> {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    if (!options.pubKeyCredParams.some((p) => p.alg === ES256)) {
      throw authenticatorError('NotSupportedError', 'The relying party does not accept ES256');
    }
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.stored.some((c) => c.rpId === rpId && excluded.has(c.id))) {
      throw authenticatorError('InvalidStateError', 'This authenticator already holds a credential in excludeCredentials');
    }

    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, ES256], // alg
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]);
    const credentialId = randomBytes(32);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
      uint32(0), // signCount
      Buffer.alloc(16), // AAGUID: none
      idLength,
      credentialId,
      isoCBOR.encode(coseKey),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.create',
      challenge: override.challenge ?? options.challenge,
      origin: override.origin ?? this.origin,
      crossOrigin: false,
    });

    const id = b64url(credentialId);
    this.stored.push({ id, rpId, userHandle: options.user.id, counter: 0, privateKey });
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(Buffer.from(clientDataJSON)),
        attestationObject: b64url(attestationObject),
        authenticatorData: b64url(authData),
        publicKeyAlgorithm: ES256,
        publicKey: b64url(publicKey.export({ format: 'der', type: 'spki' })),
        transports: ['internal'],
      },
    };
  }

  /** Signs with a remembered credential listed in allowCredentials (or any for this rpId when empty); counter +1 each time. */
  async authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    override: { origin?: string; challenge?: string; tamper?: boolean; counter?: number } = {},
  ): Promise<AuthenticationResponseJSON> {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = new Set((options.allowCredentials ?? []).map((c) => c.id));
    const credential = this.stored.find((c) => c.rpId === rpId && (allowed.size === 0 || allowed.has(c.id)));
    if (credential === undefined) {
      throw authenticatorError('NotAllowedError', `No credential for RP ID ${rpId} among allowCredentials`);
    }
    credential.counter = override.counter ?? credential.counter + 1;

    const authData = Buffer.concat([sha256(rpId), Buffer.from([FLAG_UP | FLAG_UV]), uint32(credential.counter)]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: 'webauthn.get',
        challenge: override.challenge ?? options.challenge,
        origin: override.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
    // ES256 in WebAuthn: ECDSA over authData ‖ SHA-256(clientDataJSON), DER-encoded (Node's default for EC keys).
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey);
    if (override.tamper) {
      // The last byte is inside the DER integer `s`, so the signature stays well-formed but wrong.
      signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
    }
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
    };
  }
}
