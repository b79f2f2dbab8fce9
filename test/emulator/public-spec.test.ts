/**
 * `ceremonyEndpoints: false` serves exactly SendAuth's public spec: the two
 * assumed ceremony endpoints answer like any unknown endpoint, and a TX is
 * approved only through its notification's respond page. With the default,
 * both ways share one challenge per TX.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON } from '../../src/types.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { assertJsonError, createUser, outboxEntry, respondCall, txState } from './helpers.js';

describe('ceremonyEndpoints: false', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator({ ceremonyEndpoints: false });
  });
  after(() => t.close());

  it('answers GET and POST /api/v1/transactions/{txID}/webauthn with 404, as it answers an unknown endpoint', async () => {
    const user = await createUser(t);
    const { tx } = (await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`)).body;
    for (const method of ['GET', 'POST'] as const) {
      const res = await t.request(method, `/api/v1/transactions/${tx}/webauthn`, method === 'POST' ? { body: {} } : {});
      const body = assertJsonError(res, 404);
      const unknown = await t.request(method, `/api/v1/transactions/${tx}/no-such-thing`, method === 'POST' ? { body: {} } : {});
      assert.deepEqual(Object.keys(body), Object.keys(unknown.body as object));
      assert.equal(body.error, `No such endpoint: ${method} /api/v1/transactions/${tx}/webauthn`);
      assert.equal((await t.request(method, `/api/v1/transactions/${tx}/webauthn`, { auth: false })).status, 401, 'and 401 without credentials, like any path');
    }
    assert.equal(await txState(t, tx), 'pending');
  });

  it('still serves the public spec and completes a TX through its respond page', async () => {
    const user = await createUser(t);
    const { tx } = (await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`)).body;
    const entry = await outboxEntry(t, tx);
    const authenticator = new SoftAuthenticator({ origin: new URL(entry.link).origin });
    const options = await respondCall<{ options: PublicKeyCredentialCreationOptionsJSON }>(t, entry, 'options');
    assert.equal(options.status, 200, options.text);
    const done = await respondCall(t, entry, 'response', { response: await authenticator.register(options.body.options) });
    assert.equal(done.status, 200, done.text);
    assert.equal(await txState(t, tx), 'verified');
  });
});

describe('ceremonyEndpoints: true (the default)', () => {
  let t: TestEmulator;
  before(async () => {
    t = await startTestEmulator();
  });
  after(() => t.close());

  it('hands the same options to the ceremony endpoint and the respond page; the first verified response wins', async () => {
    const user = await createUser(t);
    const { tx } = (await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`)).body;
    const entry = await outboxEntry(t, tx);
    const api = await t.request<{ options: PublicKeyCredentialCreationOptionsJSON }>('GET', `/api/v1/transactions/${tx}/webauthn`);
    const page = await respondCall<{ options: PublicKeyCredentialCreationOptionsJSON }>(t, entry, 'options');
    assert.deepEqual(page.body.options, api.body.options);

    const authenticator = new SoftAuthenticator({ origin: new URL(entry.link).origin });
    const done = await respondCall(t, entry, 'response', { response: await authenticator.register(page.body.options) });
    assert.equal(done.status, 200, done.text);
    const late = await t.request<{ state: string }>('POST', `/api/v1/transactions/${tx}/webauthn`, { body: {} });
    assert.equal(late.status, 409);
    assert.equal(late.body.state, 'verified');
  });
});
