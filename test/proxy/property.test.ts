/**
 * The property-based test of the proxy (issue 10, "A property-based test"):
 * fast-check generates requests — method, path parameter, headers, body — for
 * every endpoint of the wire table (`WIRE`, so a new endpoint is covered
 * without touching this file), against a real proxy on a real emulator. The
 * nasty strings and hostile JSON texts are the emulator's property test's
 * (`test/support/wire-arbitraries.ts`); the shapes here are the wire's.
 *
 * Invariants, for every request: no 5xx (SendAuth is healthy here, so none of
 * the documented upstream ones either), the JSON error shape on every refusal,
 * nothing reported through `onError` (a visitor's bad input is no site
 * failure), and afterwards a real sign-in still succeeds.
 *
 * A failure prints fast-check's seed and path; replay it with
 * `FC_SEED=<seed> FC_PATH=<path>`. The default run is short (`FC_RUNS`, 300);
 * set `FC_RUNS=20000` for a long one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { WIRE, type WireName } from '../../src/wire.js';
import { EMAIL_EDGES, NAME_EDGES, USERNAME_EDGES } from '../support/field-edges.js';
import { hostileBodyText, jsonText, nastyString } from '../support/wire-arbitraries.js';
import {
  assertErrorShape,
  call,
  client,
  createUser,
  createUserWithPasskey,
  expectStart,
  ORIGIN,
  proxyFactory,
  readJson,
  SoftAuthenticator,
  useEmulator,
  type CallInit,
} from '../support/proxy-fixture.js';

useEmulator();
const proxy = proxyFactory();

const RUNS = Number(process.env.FC_RUNS ?? 300);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

// ─── Generators ─────────────────────────────────────────────────────────────

const anyText = fc.oneof(
  nastyString,
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.emailAddress(),
  fc.uuid(),
  fc.constantFrom(...[...NAME_EDGES, ...EMAIL_EDGES, ...USERNAME_EDGES].map((edge) => edge.input.replaceAll('{u}', 'prop'))),
  fc.constantFrom('', ' ', 'A'.repeat(300), '__proto__', 'constructor', 'toString', 'null', '\ud800', 'a\u0000b', 'AAAA', 'public-key'),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });
const anyField = fc.oneof({ weight: 4, arbitrary: anyText }, { weight: 1, arbitrary: anyJson });
const base64url = fc.oneof(fc.base64String({ maxLength: 40 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_')), anyText);

/** A value nested `depth` levels, written out (JSON.stringify overflows far sooner than JSON.parse). */
const deepRaw = fc.integer({ min: 10, max: 6_000 }).chain((depth) =>
  fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `{"username":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
);

/** A WebAuthn response's outline, every field any value. */
const webauthnShaped = fc.record(
  {
    id: base64url,
    rawId: base64url,
    type: fc.oneof(fc.constant('public-key'), anyText),
    authenticatorAttachment: anyField,
    clientExtensionResults: anyJson,
    response: fc.record(
      {
        clientDataJSON: base64url,
        authenticatorData: base64url,
        signature: base64url,
        userHandle: fc.oneof(base64url, fc.constant(''), fc.constant(null)),
        attestationObject: base64url,
        transports: fc.array(anyText, { maxLength: 30 }),
        publicKeyAlgorithm: anyJson,
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** Bodies shaped like each endpoint's, with every field any value; and bodies of no shape at all. */
const shapedBody = fc.oneof(
  fc.record({ username: anyField, userId: anyField }, { requiredKeys: [] }),
  fc.record({ email: anyField, firstName: anyField, lastName: anyField, role: anyField }, { requiredKeys: ['email', 'firstName', 'lastName'] }),
  webauthnShaped,
  anyJson,
);

/** A WebAuthn response whose extension outputs nest thousands of levels (issue 10 §5's false alarm). */
const deepExtensions = fc
  .tuple(webauthnShaped, fc.integer({ min: 10, max: 6_000 }))
  .map(([body, depth]) => JSON.stringify({ ...body, clientExtensionResults: 'DEEP' }).replace('"DEEP"', `${'{"a":'.repeat(depth)}{}${'}'.repeat(depth)}`));

const rawBody: fc.Arbitrary<BodyInit | undefined> = fc.oneof(
  { weight: 6, arbitrary: shapedBody.map((body) => JSON.stringify(body)) },
  { weight: 1, arbitrary: deepRaw },
  { weight: 1, arbitrary: jsonText },
  { weight: 1, arbitrary: hostileBodyText },
  { weight: 1, arbitrary: deepExtensions },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Header values a real client can send (visible ASCII and spaces; what `Headers` accepts). */
const headerValue = fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim());

interface Setting {
  txs: string[];
  sessionUser: string;
}

function requestFor(setting: Setting): fc.Arbitrary<{ name: WireName; path: string; init: CallInit }> {
  const names = Object.keys(WIRE) as WireName[];
  return fc
    .record({
      name: fc.constantFrom(...names),
      method: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
      ),
      tx: fc.oneof(fc.constantFrom(...setting.txs), fc.uuid(), anyText.map((s) => encodeURIComponent(s.replace(/\p{Cs}/gu, '\ufffd')).slice(0, 80) || 'x')),
      body: rawBody,
      contentType: fc.oneof(
        { weight: 5, arbitrary: fc.constant<string | null | undefined>(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'application/json, text/html', '', null) },
      ),
      origin: fc.oneof(
        { weight: 5, arbitrary: fc.constant<string | null | undefined>(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('null', 'https://evil.example', `${ORIGIN}/`, ORIGIN.toUpperCase(), null) },
      ),
      // What the site's session says (the visitor cannot forge it): its user, a user since deleted, or none.
      // A session id that is no UUID is the site's bug, answered 500 and reported: not generated here.
      session: fc.option(fc.oneof(fc.constant(setting.sessionUser), fc.uuid()), { nil: undefined }),
      ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('::ffff:10.0.0.1'), headerValue),
      extra: fc.dictionary(fc.constantFrom('x-forwarded-for', 'cookie', 'accept', 'x-http-method-override', 'content-encoding'), headerValue, { maxKeys: 2 }),
    })
    .map(({ name, method, tx, body, contentType, origin, session, ip, extra }) => {
      const verb = method ?? WIRE[name].method;
      const isRead = verb === 'GET' || verb === 'HEAD';
      const init: CallInit = { method: verb, headers: extra, ip };
      if (!isRead && body !== undefined) init.raw = body;
      if (contentType !== undefined) init.contentType = contentType;
      if (origin !== undefined) init.origin = origin;
      if (session !== undefined && session !== '') init.session = session;
      return { name, path: `/${WIRE[name].path.replace(':tx', tx)}`, init };
    });
}

// ─── The property ───────────────────────────────────────────────────────────

test(`every generated request to every wire endpoint: no 5xx, the error shape, nothing reported (${RUNS} runs)`, async () => {
  const { handler, errors, verified } = proxy({ allowSignup: true, rateLimit: { limit: 1_000_000 } });
  const signer = await createUserWithPasskey(client);
  const enroller = await createUser(client);
  const signIn = await expectStart(await call(handler, '/authenticate', { body: { userId: signer.id } }), 'authentication');
  const enrol = await expectStart(await call(handler, '/register', { body: {}, session: enroller.id }), 'registration');
  const setting: Setting = { txs: [signIn.tx, enrol.tx], sessionUser: enroller.id };

  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(requestFor(setting), async ({ name, path, init }) => {
      const reportedBefore = errors.length;
      const response = await call(handler, path, init);
      const text = await response.text();
      const where = `${init.method} ${path} → ${response.status} ${text.slice(0, 200)}`;
      seen.set(name, (seen.get(name) ?? 0) + 1);
      assert.ok(response.status < 500, `a 5xx for a visitor's request: ${where}`);
      const reported = errors.slice(reportedBefore).map((error) => String(error));
      errors.length = reportedBefore; // a shrunk counterexample is judged on its own report
      assert.deepEqual(reported, [], `reported through onError: ${where}`);
      if (init.method === 'HEAD') assert.equal(text, '', `HEAD with a body: ${where}`);
      else if (response.status >= 400) assertErrorShape(response, text);
      else assert.doesNotThrow(() => JSON.parse(text), `a 2xx that is not JSON: ${where}`);
    }),
    { numRuns: RUNS, includeErrorInReport: true, ...(SEED === undefined ? {} : { seed: SEED }), ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) },
  );
  if (!process.env.FC_PATH) for (const name of Object.keys(WIRE)) assert.ok((seen.get(name) ?? 0) > 0, `${name} was generated`);
  assert.equal(verified.length, 0, 'no generated body signed anyone in');

  // The process keeps serving: a real sign-in and a real enrolment.
  const start = await expectStart(await call(handler, '/authenticate', { body: { username: ` ${signer.email.toUpperCase()} ` } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await signer.authenticator.authenticate(start.options) });
  assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId: signer.id });
  const fresh = await createUser(client);
  const registration = await expectStart(await call(handler, '/register', { body: {}, session: fresh.id }), 'registration');
  if (registration.kind !== 'registration') throw new Error('unreachable');
  const enrolled = await call(handler, `/tx/${registration.tx}/verify`, {
    body: await new SoftAuthenticator({ origin: ORIGIN }).register(registration.options),
    session: fresh.id,
  });
  assert.equal(enrolled.status, 200);
  assert.deepEqual(errors, []);
});
