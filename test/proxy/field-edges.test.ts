/**
 * The shared table of field edge inputs (`test/support/field-edges.ts`)
 * through the proxy: `signup` stores each name and email in its one form or
 * refuses it with a 400 naming the field (before SendAuth is asked), and
 * `authenticate` looks up what was typed in its one form. And the point of
 * that one form (issue 9 §5): an address signed up in one spelling signs in
 * with every other spelling of it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMAIL_EDGES, fill, fillExpected, NAME_EDGES, token, USERNAME_EDGES, type FieldEdge } from '../support/field-edges.js';
import {
  apiClient,
  call,
  client,
  countingFetch,
  emu,
  expectError,
  expectStart,
  ORIGIN,
  proxyFactory,
  readJson,
  SoftAuthenticator,
  useEmulator,
} from '../support/proxy-fixture.js';

useEmulator();
const proxy = proxyFactory();

for (const [field, edges] of [
  ['firstName', NAME_EDGES],
  ['lastName', NAME_EDGES],
  ['email', EMAIL_EDGES],
] as const satisfies ReadonlyArray<readonly [string, readonly FieldEdge[]]>) {
  test(`signup: every ${field} edge is stored in its one form, or refused with a 400 naming the field before SendAuth is asked`, async () => {
    const counting = countingFetch();
    const { handler, errors } = proxy({ allowSignup: true, rateLimit: false, sendauth: apiClient(emu, { fetch: counting.fetch }) });
    for (const edge of edges) {
      const u = token();
      const expected = fillExpected(edge.expect, u);
      const body = { firstName: 'Ada', lastName: 'Lovelace', email: `plain.${u}@example.com`, [field]: fill(edge.input, u) };
      counting.requests.length = 0;
      const answer = await call(handler, '/signup', { body });
      if ('value' in expected) {
        await expectStart(answer, 'registration');
        const { rows } = await client.listUsers({ q: `${u}@` });
        assert.equal(rows.length, 1, `${edge.what}: one user`);
        assert.equal(rows[0]![field], expected.value, edge.what);
      } else {
        const error = await expectError(answer, 400, 'invalid-request');
        assert.match(error.error.message, new RegExp(`"${field}"`), `${edge.what}: the message names the field`);
        assert.deepEqual(counting.requests, [], `${edge.what}: SendAuth was not asked`);
      }
    }
    assert.deepEqual(errors, [], 'nothing reported');
  });
}

test('authenticate: every username edge is looked up in its one form, or refused with a 400 naming "username"', async () => {
  const looked: string[] = [];
  const { handler, errors } = proxy({ rateLimit: false, resolveUser: (username) => void looked.push(username) });
  for (const edge of USERNAME_EDGES) {
    const u = token();
    const expected = fillExpected(edge.expect, u);
    looked.length = 0;
    const answer = await call(handler, '/authenticate', { body: { username: fill(edge.input, u) } });
    if ('value' in expected) {
      await expectError(answer, 404, 'no-passkey');
      assert.deepEqual(looked, [expected.value], edge.what);
    } else {
      const error = await expectError(answer, 400, 'invalid-request');
      assert.match(error.error.message, /"username"/, edge.what);
      assert.deepEqual(looked, [], `${edge.what}: not looked up`);
    }
  }
  assert.deepEqual(errors, []);
});

describe('one address, one account', () => {
  test('signed up as Ada.x@Bücher.example, the account signs in as its punycode, in other case, with spaces', async () => {
    const { handler, verified } = proxy({ allowSignup: true });
    const u = token();
    const signup = await expectStart(
      await call(handler, '/signup', { body: { email: `Ada.${u}@Bücher.example`, firstName: 'Ada', lastName: 'Lovelace' } }),
      'registration',
    );
    if (signup.kind !== 'registration') throw new Error('unreachable');
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const enrolled = await call(handler, `/tx/${signup.tx}/verify`, { body: await authenticator.register(signup.options) });
    const { userId } = await readJson<{ userId: string }>(enrolled);
    assert.equal(enrolled.status, 200);
    assert.equal((await client.getUser(userId)).email, `ada.${u}@xn--bcher-kva.example`, 'SendAuth stores the one form');

    for (const typed of [`ada.${u}@xn--bcher-kva.example`, `  ADA.${u}@XN--BCHER-KVA.EXAMPLE `, `ada.${u}@bücher.example`, `\u00a0Ada.${u}@BÜCHER.example`]) {
      const start = await expectStart(await call(handler, '/authenticate', { body: { username: typed } }), 'authentication');
      if (start.kind !== 'authentication') throw new Error('unreachable');
      const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await authenticator.authenticate(start.options) });
      assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId }, JSON.stringify(typed));
    }
    assert.deepEqual(
      verified.map((event) => event.userId),
      [userId, userId, userId, userId, userId],
    );
  });

  test('the same address in another spelling is already taken', async () => {
    const { handler } = proxy({ allowSignup: true });
    const u = token();
    await expectStart(await call(handler, '/signup', { body: { email: `ada.${u}@bücher.example`, firstName: 'Ada', lastName: 'Lovelace' } }), 'registration');
    const again = await call(handler, '/signup', { body: { email: ` ADA.${u}@XN--BCHER-KVA.example`, firstName: 'Ada', lastName: 'Lovelace' } });
    await expectError(again, 409, 'already-exists');
  });

  test('an address SendAuth cannot store (a non-ASCII local part) is refused as such, naming the field', async () => {
    const { handler } = proxy({ allowSignup: true });
    const error = await expectError(
      await call(handler, '/signup', { body: { email: `jörg.${token()}@bücher.de`, firstName: 'Jörg', lastName: 'Müller' } }),
      400,
      'invalid-request',
    );
    assert.match(error.error.message, /"email" cannot be stored/);
  });
});
