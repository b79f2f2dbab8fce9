/**
 * The shape of a WebAuthn response body (`POST transactions/{txID}/webauthn`
 * and the respond page): fields, base64url, the client data. The signature
 * and the rest are checked in `webauthn.ts`. A bad shape is a 400 naming the
 * problem, with the TX still `pending`.
 */
import { decodeClientDataJSON, isoBase64URL, type ClientDataJSON } from '@simplewebauthn/server/helpers';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '../types.js';
import { EmulatorError } from './errors.js';
import { isPlainObject } from './validate.js';


export interface ParsedResponse<T> {
  response: T;
  clientData: ClientDataJSON;
}

function ceremonyShapeError(problem: string): EmulatorError {
  return new EmulatorError(400, { error: `Not a WebAuthn response: ${problem}`, state: 'pending' });
}

function base64url(source: Record<string, unknown>, field: string, where: string): string {
  const value = source[field];
  if (typeof value !== 'string' || value === '' || !isoBase64URL.isBase64URL(value)) {
    throw ceremonyShapeError(`${where}${field} must be a base64url string`);
  }
  return value;
}

function parseCredentialEnvelope(body: unknown): { id: string; response: Record<string, unknown>; clientData: ClientDataJSON; rest: Record<string, unknown> } {
  if (!isPlainObject(body)) throw ceremonyShapeError('the body must be a JSON object');
  const id = base64url(body, 'id', '');
  const rawId = base64url(body, 'rawId', '');
  if (rawId !== id) throw ceremonyShapeError('rawId must equal id');
  if (body.type !== 'public-key') throw ceremonyShapeError('type must be "public-key"');
  if (!isPlainObject(body.response)) throw ceremonyShapeError('response must be an object');
  if (body.clientExtensionResults !== undefined && !isPlainObject(body.clientExtensionResults)) {
    throw ceremonyShapeError('clientExtensionResults must be an object');
  }
  const clientDataJSON = base64url(body.response, 'clientDataJSON', 'response.');
  let clientData: ClientDataJSON;
  try {
    clientData = decodeClientDataJSON(clientDataJSON);
  } catch {
    throw ceremonyShapeError('response.clientDataJSON is not base64url-encoded JSON');
  }
  const decoded: unknown = clientData;
  if (
    !isPlainObject(decoded) ||
    typeof decoded.type !== 'string' ||
    typeof decoded.challenge !== 'string' ||
    typeof decoded.origin !== 'string'
  ) {
    throw ceremonyShapeError('response.clientDataJSON must hold string type, challenge and origin');
  }
  return { id, response: body.response, clientData, rest: body };
}

function optionalAttachment(rest: Record<string, unknown>): { authenticatorAttachment?: 'platform' | 'cross-platform' } {
  const value = rest.authenticatorAttachment;
  if (value === undefined || value === null) return {};
  if (value !== 'platform' && value !== 'cross-platform') {
    throw ceremonyShapeError('authenticatorAttachment must be "platform" or "cross-platform"');
  }
  return { authenticatorAttachment: value };
}

/** The body of `POST transactions/{txID}/webauthn` for a registration TX. */
export function parseRegistrationResponse(body: unknown): ParsedResponse<RegistrationResponseJSON> {
  const { id, response, clientData, rest } = parseCredentialEnvelope(body);
  const attestationObject = base64url(response, 'attestationObject', 'response.');
  let transports: string[] | undefined;
  if (response.transports !== undefined) {
    if (!Array.isArray(response.transports) || !response.transports.every((t: unknown) => typeof t === 'string')) {
      throw ceremonyShapeError('response.transports must be an array of strings');
    }
    transports = response.transports as string[];
  }
  return {
    clientData,
    response: {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      ...optionalAttachment(rest),
      response: {
        clientDataJSON: response.clientDataJSON as string,
        attestationObject,
        // The transports a browser reports are free-form strings; they are stored, never interpreted.
        ...(transports === undefined ? {} : { transports: transports as RegistrationResponseJSON['response']['transports'] }),
      },
    },
  };
}

/** The body of `POST transactions/{txID}/webauthn` for an authentication TX. */
export function parseAuthenticationResponse(body: unknown): ParsedResponse<AuthenticationResponseJSON> {
  const { id, response, clientData, rest } = parseCredentialEnvelope(body);
  const authenticatorData = base64url(response, 'authenticatorData', 'response.');
  const signature = base64url(response, 'signature', 'response.');
  let userHandle: string | undefined;
  if (response.userHandle !== undefined && response.userHandle !== null && response.userHandle !== '') {
    userHandle = base64url(response, 'userHandle', 'response.');
  }
  return {
    clientData,
    response: {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      ...optionalAttachment(rest),
      response: {
        clientDataJSON: response.clientDataJSON as string,
        authenticatorData,
        signature,
        ...(userHandle === undefined ? {} : { userHandle }),
      },
    },
  };
}
