/**
 * fast-check generators for HTTP requests as they arrive on the wire, shared
 * by the property-based tests (the emulator's, and the proxy's). Bodies are
 * JSON *text* so they can hold what `JSON.stringify` cannot make: number
 * literals past double range, duplicate keys, nesting thousands deep. The
 * schema-guided generators follow `openapi.yaml` (`components/schemas`): each
 * field gets a value of its type or, as often, a nasty one.
 */
import fc from 'fast-check';

/** A request to put on the wire: the target is split so paths can be resolved late (see `PathPart`). */
export interface WireRequest {
  method: string;
  /** Path segments; each is sent as is (already encoded). */
  path: PathPart[];
  /** `[name, value]` pairs, already encoded; repeated names are kept. */
  query: [string, string][];
  /** Extra headers, in order; repeated names are kept. */
  headers: [string, string][];
  /** The body as sent; `undefined` for none. */
  body: string | undefined;
  /** Raw bytes spliced into the request target (e.g. non-ASCII), which no client would send. */
  rawTargetSuffix?: Buffer;
}

/**
 * A path segment: literal text, or a reference to an id the test knows only
 * at run time (`{ ref: 'user', index }` picks `index` modulo the known ids).
 */
export type PathPart = string | { ref: string; index: number };

// ─── strings and numbers that break naive code ───

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'] as const;

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '  padded  ',
    ...PROTOTYPE_KEYS,
    '\u0000',
    '\uD800',
    '\uDFFF\uD800',
    'e\u0301'.repeat(30),
    '𠀀'.repeat(26),
    '👩‍👩‍👧‍👦'.repeat(12),
    '\u202Eevil',
    'a'.repeat(51),
    'x'.repeat(5000),
    '<script>alert(1)</script>',
    "'; DROP TABLE users; --",
    '../../etc/passwd',
    '%00',
    '${7*7}',
    'jörg@bücher.de',
    'a+tag@example.com',
  ),
);

/** Number literals as JSON text, including ones no double holds. */
export const numberLiteral: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom('0', '-0', '1e400', '-1e400', '1e-400', '123456789012345678901234567890', '9007199254740993', '0.1e1', '1E2', '-1'),
);

// ─── JSON text ───

/** Joins members into an object's JSON text (duplicate keys kept, as a sender may send them). */
export function objectText(members: [string, string][]): string {
  return `{${members.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** Any JSON value as text, a few levels deep, with prototype keys and odd numbers among the keys and leaves. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false'),
    numberLiteral,
    nastyString.map((s) => JSON.stringify(s)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(nastyString, fc.constantFrom(...PROTOTYPE_KEYS)), tie('value')), { maxLength: 4 }).map(objectText),
  ),
})).value;

/** Bodies that are not JSON, or are JSON that strains a parser: deep nesting, huge text. */
export const hostileBodyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '{"a":}',
    'undefined',
    "{'a':1}",
    'NaN',
    '\uFEFF{}',
    '[]'.repeat(1),
    '['.repeat(5000) + ']'.repeat(5000),
    '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
    JSON.stringify({ clientExtensionResults: JSON.parse('{"x":'.repeat(500) + '1' + '}'.repeat(500)) as unknown }),
    '{"__proto__":{"admin":true},"constructor":{"prototype":{"polluted":true}}}',
    `{"padding":"${'x'.repeat(120 * 1024)}"}`,
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/**
 * A JSON object's text following `fields` (each field's generator gives its
 * value's text): a `required` field is mostly present, any other mostly left
 * out; now and then a field holds any JSON value instead, and unknown,
 * prototype and duplicate keys are added. Most objects so come out valid,
 * which takes a run past validation into the handlers.
 */
export function schemaObject(fields: Record<string, fc.Arbitrary<string>>, required: readonly string[] = Object.keys(fields)): fc.Arbitrary<string> {
  type Members = [string, string][];
  const entries = Object.entries(fields).map(([name, value]) =>
    fc.oneof(
      { weight: required.includes(name) ? 12 : 3, arbitrary: value.map((v): Members => [[name, v]]) },
      { weight: required.includes(name) ? 1 : 8, arbitrary: fc.constant<Members>([]) },
      { weight: 1, arbitrary: jsonText.map((v): Members => [[name, v]]) },
    ),
  );
  const extras = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Members>([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, ...Object.keys(fields)), nastyString), jsonText), { minLength: 1, maxLength: 3 }) },
  );
  return fc.tuple(fc.tuple(...entries), extras).map(([present, extra]) => objectText([...present.flat(), ...extra]));
}

const str = (arb: fc.Arbitrary<string>) => arb.map((s) => JSON.stringify(s));
/** A string of `min`–`max` UTF-16 units (the spec's lengths), or around the edges. */
const sized = (min: number, max: number) =>
  str(
    fc.oneof(
      { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, min + 20) }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(0, min - 1), maxLength: max + 1 }) },
      { weight: 1, arbitrary: nastyString },
    ),
  );
const uuidText = str(fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: nastyString }));
const base64urlText = str(fc.oneof(fc.base64String({ maxLength: 200 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')), nastyString));

/** openapi.yaml `User` (createUser, updateUser). */
export const userBody = schemaObject(
  {
  firstName: sized(2, 50),
  lastName: sized(2, 50),
  email: str(fc.oneof(fc.emailAddress(), nastyString)),
  phone: sized(0, 20),
  role: str(fc.oneof(fc.constantFrom('admin', 'user', 'super_admin'), nastyString)),
  messagingPreference: str(fc.oneof(fc.constantFrom('email', 'sms', 'both'), nastyString)),
  permissions: fc.array(sized(0, 64), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
  groupPermissions: fc.array(sized(0, 64), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
  permissionGroups: fc.array(uuidText, { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
  company: schemaObject({ id: uuidText, orgID: uuidText, name: sized(2, 100) }),
  id: uuidText,
  hasPasskeys: fc.constantFrom('true', 'false'),
  },
  ['firstName', 'lastName'],
);

/** A `User` body every SendAuth accepts: names of 2–50 letters, and maybe an e-mail address, role and phone. */
export const validUserBody: fc.Arbitrary<string> = fc
  .record(
    {
      firstName: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 2, maxLength: 50 }),
      lastName: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzäöüßéÅ'), minLength: 2, maxLength: 50 }),
      email: fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9.+_-]{0,20}$/), fc.constantFrom('example.com', 'mail.example.org', 'x.test')).map(([local, domain]) => `${local}@${domain}`),
      role: fc.constantFrom('admin', 'user'),
      phone: fc.stringMatching(/^\+?[0-9 ]{3,19}$/),
    },
    { requiredKeys: ['firstName', 'lastName'] },
  )
  .map((user) => JSON.stringify(user));

/** openapi.yaml `WebTX` (authenticateUser). */
export const webTxBody = schemaObject({ message: sized(0, 1024), connectwise: sized(0, 64) }, []);

/** openapi.yaml `TagsRequest` (setUserTags). */
export const tagsBody = schemaObject({
  tags: fc.array(fc.tuple(fc.oneof(nastyString, fc.constantFrom(...PROTOTYPE_KEYS)), fc.oneof(str(nastyString), jsonText)), { maxLength: 4 }).map(objectText),
});

/** A WebAuthn response (`RegistrationResponseJSON` / `AuthenticationResponseJSON`) with plausible or broken parts. */
export const webAuthnResponseBody = fc
  .tuple(
    base64urlText,
    schemaObject({ type: str(fc.constantFrom('webauthn.create', 'webauthn.get', '')), challenge: base64urlText, origin: str(fc.oneof(fc.constant('http://localhost:5173'), fc.webUrl(), nastyString)) }),
  )
  .chain(([id, clientData]) =>
    schemaObject({
      id: fc.constant(id),
      rawId: fc.oneof(fc.constant(id), base64urlText),
      type: str(fc.oneof(fc.constant('public-key'), nastyString)),
      authenticatorAttachment: str(fc.constantFrom('platform', 'cross-platform', 'usb')),
      clientExtensionResults: jsonText,
      response: schemaObject({
        clientDataJSON: fc.oneof(fc.constant(JSON.stringify(Buffer.from(clientData).toString('base64url'))), base64urlText),
        attestationObject: base64urlText,
        authenticatorData: base64urlText,
        signature: base64urlText,
        userHandle: fc.oneof(base64urlText, fc.constantFrom('null', '""')),
        transports: fc.array(str(nastyString), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
      }),
    }),
  );

// ─── query strings and headers ───

/** Percent-encodes the UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD, where encodeURIComponent throws). */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A query value as sent: percent-encoded, or raw text with broken escapes. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -5, max: 150 }).map(String),
  numberLiteral.map(percentEncode),
  nastyString.map(percentEncode),
  fc.constantFrom('', '%', '%zz', '%E0%A4%A', '%C0%80', '+', 'asc', 'desc', 'firstName', 'createdAt', '99999999999999999999999999'),
);

/** Query pairs over `names` (the operation's parameters) plus unknown and prototype names; repeats allowed. */
export function queryPairs(names: readonly string[]): fc.Arbitrary<[string, string][]> {
  const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(names.length > 0 ? names : ['q'])) }, { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, 'unknown', '') });
  return fc.array(fc.tuple(name, queryValue), { maxLength: 5 });
}

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** A valid header name (RFC 9110 token) that no framing or auth logic reads. */
export const headerName = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 20 }).filter((n) => !/^(content-length|transfer-encoding|connection|host|authorization|content-type|expect|upgrade)$/i.test(n));
/** A header value Node accepts (visible ASCII, spaces, tabs, obs-text bytes as latin1). */
export const headerValue = fc.oneof(
  fc.string({ unit: fc.constantFrom(...' \t!"#$%&()*+,-./09:;<=>?@AZ[\\]^_`az{|}~'.split('')), maxLength: 60 }),
  fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 10 }),
);

/** Content-Type as senders get it wrong. */
export const contentType = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', '');

/**
 * Headers that take the request to Node's parser's edges: a header block
 * over 16 KB, an invalid name, a doubled Content-Length. Each makes the
 * parser refuse the request before any handler runs.
 */
export const parserRefusedHeaders: fc.Arbitrary<[string, string][]> = fc.constantFrom<[string, string][]>(
  [['Cookie', `s=${'a'.repeat(17 * 1024)}`]],
  [['Bad Header', '1']],
  [['Bad\u0001Name', '1']],
  [['Content-Length', '0'], ['Content-Length', '5']],
  [['Transfer-Encoding', 'gzip, chunked, identity']],
);

/** Writes `request` as HTTP/1.1 bytes for `host`, with `Connection: close` and a correct Content-Length for the body. */
export function serializeRequest(request: WireRequest, resolvePath: (part: PathPart) => string, host: string): Buffer {
  const path = `/${request.path.map(resolvePath).join('/')}`;
  const query = request.query.length > 0 ? `?${request.query.map(([k, v]) => `${percentEncode(k)}=${v}`).join('&')}` : '';
  const lines = [`Host: ${host}`, 'Connection: close', ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  if (body !== undefined && !request.headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name))) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.concat([
    Buffer.from(`${request.method} ${path}${query}`, 'latin1'),
    request.rawTargetSuffix ?? Buffer.alloc(0),
    Buffer.from(` HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
  ]);
  return body === undefined ? head : Buffer.concat([head, body]);
}
