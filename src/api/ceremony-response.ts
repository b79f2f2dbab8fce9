/**
 * The WebAuthn response JSON, rebuilt from the fields SendAuth needs
 * (`RegistrationResponseJSON` / `AuthenticationResponseJSON` of WebAuthn L3
 * §5.1, as `@simplewebauthn/browser` sends them), so nothing else a visitor
 * put in the body is ever forwarded: no 5,000-level `clientExtensionResults`,
 * no unknown keys, no value that could make serialising it throw.
 *
 * Used by the proxy (before it calls SendAuth) and by `SendAuthClient`
 * (before it sends), so both refuse the same things the same way.
 */
import { isBase64url } from '../field-rules.js';
import type { AuthenticationResponseJSON, CeremonyKind, CeremonyResponse, RegistrationResponseJSON } from '../types.js';
import { isPlainObject } from './validate.js';

/** Why a body is not a WebAuthn response, in a sentence naming the field. */
export class CeremonyResponseProblem extends Error {
  override readonly name = 'CeremonyResponseProblem';
}

function refuse(problem: string): never {
  throw new CeremonyResponseProblem(problem);
}

function base64url(container: Record<string, unknown>, field: string, where = ''): string {
  const value = container[field];
  if (!isBase64url(value)) refuse(`"${where}${field}" must be a base64url string`);
  return value;
}

/** An optional base64url field: absent, `null` and `""` (what `@simplewebauthn/browser` sends for an empty buffer, as older Safari does for `userHandle`) are all absent. */
function optionalBase64url(container: Record<string, unknown>, field: string, where: string): string | undefined {
  const value = container[field];
  if (value === undefined || value === null || value === '') return undefined;
  return base64url(container, field, where);
}

/** WebAuthn's AuthenticatorTransport values are open-ended strings; a handful of short ones is all any browser sends. */
const MAX_TRANSPORTS = 16;
const MAX_TRANSPORT_LENGTH = 32;

function transports(response: Record<string, unknown>): { transports?: RegistrationResponseJSON['response']['transports'] } {
  const value = response.transports;
  if (value === undefined || value === null) return {};
  if (
    !Array.isArray(value) ||
    value.length > MAX_TRANSPORTS ||
    !value.every((t: unknown) => typeof t === 'string' && t.length > 0 && t.length <= MAX_TRANSPORT_LENGTH)
  ) {
    refuse(`"response.transports" must be a list of at most ${MAX_TRANSPORTS} short strings`);
  }
  return { transports: value as RegistrationResponseJSON['response']['transports'] };
}

/** The extension outputs a relying party reads (WebAuthn L3 §10); the rest are the browser's business and stay behind. */
function extensionResults(body: Record<string, unknown>): RegistrationResponseJSON['clientExtensionResults'] {
  const value = body.clientExtensionResults;
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) refuse('"clientExtensionResults" must be an object');
  const results: RegistrationResponseJSON['clientExtensionResults'] = {};
  if (typeof value.appid === 'boolean') results.appid = value.appid;
  if (typeof value.hmacCreateSecret === 'boolean') results.hmacCreateSecret = value.hmacCreateSecret;
  if (isPlainObject(value.credProps) && typeof value.credProps.rk === 'boolean') results.credProps = { rk: value.credProps.rk };
  return results;
}

function attachment(body: Record<string, unknown>): Pick<RegistrationResponseJSON, 'authenticatorAttachment'> {
  const value = body.authenticatorAttachment;
  // An attachment this code does not know (a later spec's) is dropped, not refused: it is a hint only.
  return value === 'platform' || value === 'cross-platform' ? { authenticatorAttachment: value } : {};
}

/**
 * Rebuilds a WebAuthn response from its known fields.
 *
 * @param kind `registration` or `authentication` to require that kind; omitted, the kind the response's shape says.
 * @throws CeremonyResponseProblem naming the first field that is missing or malformed, or the kind that does not fit.
 */
export function rebuildCeremonyResponse(body: unknown, kind?: CeremonyKind): CeremonyResponse {
  if (!isPlainObject(body)) refuse('the body must be the WebAuthn response JSON (an object)');
  const id = base64url(body, 'id');
  const rawId = base64url(body, 'rawId');
  if (body.type !== 'public-key') refuse('"type" must be "public-key"');
  const { response } = body;
  if (!isPlainObject(response)) refuse('"response" must be an object');
  const clientDataJSON = base64url(response, 'clientDataJSON', 'response.');
  const isRegistration = 'attestationObject' in response;
  if (kind === 'registration' && !isRegistration) refuse('this transaction enrols a passkey; send a registration response');
  if (kind === 'authentication' && isRegistration) refuse('this transaction signs in; send an authentication response');
  const envelope = { id, rawId, type: 'public-key' as const, clientExtensionResults: extensionResults(body), ...attachment(body) };

  if (isRegistration) {
    const publicKey = optionalBase64url(response, 'publicKey', 'response.');
    const authenticatorData = optionalBase64url(response, 'authenticatorData', 'response.');
    const algorithm = response.publicKeyAlgorithm;
    if (algorithm !== undefined && algorithm !== null && !Number.isSafeInteger(algorithm)) {
      refuse('"response.publicKeyAlgorithm" must be an integer (a COSE algorithm)');
    }
    const registration: RegistrationResponseJSON = {
      ...envelope,
      response: {
        clientDataJSON,
        attestationObject: base64url(response, 'attestationObject', 'response.'),
        ...transports(response),
        ...(publicKey === undefined ? {} : { publicKey }),
        ...(authenticatorData === undefined ? {} : { authenticatorData }),
        ...(Number.isSafeInteger(algorithm) ? { publicKeyAlgorithm: algorithm as number } : {}),
      },
    };
    return registration;
  }
  const userHandle = optionalBase64url(response, 'userHandle', 'response.');
  const authentication: AuthenticationResponseJSON = {
    ...envelope,
    response: {
      clientDataJSON,
      authenticatorData: base64url(response, 'authenticatorData', 'response.'),
      signature: base64url(response, 'signature', 'response.'),
      ...(userHandle === undefined ? {} : { userHandle }),
    },
  };
  return authentication;
}
