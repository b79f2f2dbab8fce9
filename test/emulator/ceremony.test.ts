/**
 * The ceremony endpoints with real WebAuthn: a software authenticator
 * registers and signs in, and every way a response can be wrong is refused
 * with the documented status and the TX left in the right state.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON, User } from '../../src/types.js';
import { basicAuth, startTestEmulator, TEST_ORIGIN, TEST_PASSWORD, TEST_USERNAME, type TestEmulator } from '../support/emulator-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { assertJsonError, createUser, registerPasskey, startAuthentication, startRegistration, txState } from './helpers.js';

let t: TestEmulator;
before(async () => {
  t = await startTestEmulator();
});
after(() => t.close());

const webauthn = (tx: string) => `/api/v1/transactions/${tx}/webauthn`;

/** A user with one passkey on a fresh authenticator. */
async function enrolledUser(): Promise<{ user: User & { id: string }; authenticator: SoftAuthenticator }> {
  const user = await createUser(t);
  const authenticator = new SoftAuthenticator({ origin: TEST_ORIGIN });
  await registerPasskey(t, user.id, authenticator);
  return { user, authenticator };
}

describe('registration', () => {
  it('hands out registration options for the user, the same on every GET', async () => {
    const user = await createUser(t);
    const { tx, options } = await startRegistration(t, user.id);
    assert.equal(options.rp.id, 'localhost');
    assert.equal(options.user.name, user.username);
    assert.equal(options.user.displayName, `${user.firstName} ${user.lastName}`);
    assert.equal(Buffer.from(options.user.id, 'base64url').toString('utf8'), user.id);
    assert.equal(options.authenticatorSelection?.userVerification, 'required');
    assert.equal(options.authenticatorSelection?.residentKey, 'preferred');
    assert.equal(options.attestation, 'none');
    assert.deepEqual(options.excludeCredentials, []);

    const again = await t.request<{ kind: string; options: unknown; expiresAt: string }>('GET', webauthn(tx));
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.options, options, 'the challenge is made once per TX');
    assert.ok(Number.isFinite(Date.parse(again.body.expiresAt)));
  });

  it('verifies a real registration, stores the passkey and sets hasPasskeys', async () => {
    const { user, authenticator } = await enrolledUser();
    const got = await t.request<User>('GET', `/api/v1/users/${user.id}`);
    assert.equal(got.body.hasPasskeys, true);
    assert.equal(authenticator.credentials.length, 1);

    const audits = await t.request<{ rows: { action: string; actor: string }[] }>('GET', `/api/v1/users/${user.id}/audits`);
    const actions = audits.body.rows.map((a) => a.action);
    assert.ok(actions.includes('register-start'));
    assert.ok(actions.includes('passkey-registered'));
    assert.ok(audits.body.rows.every((a) => a.actor === TEST_USERNAME));

    // Now registering again is refused (406), and the user can authenticate.
    const again = await t.request('POST', `/api/v1/users/${user.id}/register`);
    assertJsonError(again, 406);
  });

  it('lists the passkeys already stored in excludeCredentials', async () => {
    // Two registration TXs started before either completes: the second then excludes the first's passkey.
    const user = await createUser(t);
    const authenticator = new SoftAuthenticator({ origin: TEST_ORIGIN });
    const first = await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`);
    const second = await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`);
    const firstOptions = await t.request<{ options: PublicKeyCredentialCreationOptionsJSON }>('GET', webauthn(first.body.tx));
    const done = await t.request('POST', webauthn(first.body.tx), { body: await authenticator.register(firstOptions.body.options) });
    assert.equal(done.status, 200, done.text);

    const secondOptions = await t.request<{ options: PublicKeyCredentialCreationOptionsJSON }>('GET', webauthn(second.body.tx));
    assert.deepEqual(
      secondOptions.body.options.excludeCredentials?.map((c) => c.id),
      authenticator.credentials.map((c) => c.id),
    );
    await assert.rejects(authenticator.register(secondOptions.body.options), { name: 'InvalidStateError' });
  });

  it('denies a registration signed for another origin', async () => {
    const user = await createUser(t);
    const { tx, options } = await startRegistration(t, user.id);
    const response = await new SoftAuthenticator({ origin: TEST_ORIGIN }).register(options, { origin: 'https://evil.example' });
    const res = await t.request('POST', webauthn(tx), { body: response });
    const body = assertJsonError(res, 400);
    assert.equal(body.state, 'denied');
    assert.match(body.error, /origin/i);
    assert.equal(await txState(t, tx), 'denied');
    const got = await t.request<User>('GET', `/api/v1/users/${user.id}`);
    assert.equal(got.body.hasPasskeys, false, 'nothing stored');
  });

  it('denies a registration over another challenge', async () => {
    const user = await createUser(t);
    const { tx, options } = await startRegistration(t, user.id);
    const response = await new SoftAuthenticator({ origin: TEST_ORIGIN }).register(options, { challenge: Buffer.from('not the challenge').toString('base64url') });
    const body = assertJsonError(await t.request('POST', webauthn(tx), { body: response }), 400);
    assert.equal(body.state, 'denied');
    assert.match(body.error, /challenge/i);
    assert.equal(await txState(t, tx), 'denied');
  });
});

describe('authentication', () => {
  it('hands out allowCredentials with the user passkeys and verifies a real assertion', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id, { message: 'Sign in to the demo' });
    assert.equal(options.rpId, 'localhost');
    assert.equal(options.userVerification, 'required');
    assert.deepEqual(
      options.allowCredentials?.map((c) => c.id),
      authenticator.credentials.map((c) => c.id),
    );
    const res = await t.request('POST', webauthn(tx), { body: await authenticator.authenticate(options) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { state: 'verified' });
    assert.equal(await txState(t, tx), 'verified');

    const got = await t.request<User>('GET', `/api/v1/users/${user.id}`);
    assert.equal(got.body.lastAuthenticated, new Date(t.clock.now()).toISOString());
    const txs = await t.request<{ rows: { id: string; state: string; message?: string; requestor?: string; completedAt?: string }[] }>(
      'GET',
      `/api/v1/users/${user.id}/transactions`,
    );
    const row = txs.body.rows.find((r) => r.id === tx);
    assert.equal(row?.state, 'verified');
    assert.equal(row?.message, 'Sign in to the demo');
    assert.equal(row?.requestor, TEST_USERNAME);
    assert.ok(row?.completedAt);
  });

  it('signs in repeatedly, the counter increasing each time', async () => {
    const { user, authenticator } = await enrolledUser();
    for (let i = 1; i <= 3; i++) {
      const { tx, options } = await startAuthentication(t, user.id);
      const res = await t.request('POST', webauthn(tx), { body: await authenticator.authenticate(options) });
      assert.equal(res.status, 200, res.text);
      assert.equal(authenticator.credentials[0]?.counter, i);
    }
  });

  it('completes a TX at most once: a second POST is 409 with the state', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id);
    const response = await authenticator.authenticate(options);
    assert.equal((await t.request('POST', webauthn(tx), { body: response })).status, 200);
    const replay = assertJsonError(await t.request('POST', webauthn(tx), { body: response }), 409);
    assert.equal(replay.state, 'verified');
    const get = assertJsonError(await t.request('GET', webauthn(tx)), 409);
    assert.equal(get.state, 'verified');
    assert.equal(await txState(t, tx), 'verified');
  });

  it('completes a TX at most once even when a slow upload started before a fast one finished', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id);
    const fastResponse = await authenticator.authenticate(options);
    const slowResponse = await authenticator.authenticate(options); // a second valid assertion, higher counter
    // The slow POST arrives while the TX is pending, but its body only after the fast one is verified.
    const payload = Buffer.from(JSON.stringify(slowResponse));
    const slowRequest = httpRequest(`${t.url}${webauthn(tx)}`, {
      method: 'POST',
      headers: { authorization: basicAuth(TEST_USERNAME, TEST_PASSWORD), 'content-type': 'application/json', 'content-length': payload.length },
    });
    const slow = new Promise<{ status: number; body: string }>((resolve, reject) => {
      slowRequest.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      slowRequest.on('error', reject);
    });
    slowRequest.flushHeaders();
    const finishUpload = (): void => {
      slowRequest.end(payload);
    };
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the slow request reach the emulator
    assert.equal((await t.request('POST', webauthn(tx), { body: fastResponse })).status, 200);
    finishUpload();
    const late = await slow;
    assert.equal(late.status, 409, late.body);
    assert.equal((JSON.parse(late.body) as { state?: string }).state, 'verified');
    assert.equal(await txState(t, tx), 'verified');
    const audits = await t.request<{ rows: Array<{ action?: string; extras?: Record<string, string> }> }>('GET', `/api/v1/users/${user.id}/audits?perPage=100`);
    assert.equal(audits.body.rows.filter((a) => a.action === 'authenticated' && a.extras?.tx === tx).length, 1);
  });

  it('denies an assertion that reuses a counter (a cloned or replayed authenticator)', async () => {
    const { user, authenticator } = await enrolledUser();
    const first = await startAuthentication(t, user.id);
    assert.equal((await t.request('POST', webauthn(first.tx), { body: await authenticator.authenticate(first.options) })).status, 200);
    const used = authenticator.credentials[0]?.counter ?? 0;

    const second = await startAuthentication(t, user.id);
    const res = await t.request('POST', webauthn(second.tx), { body: await authenticator.authenticate(second.options, { counter: used }) });
    const body = assertJsonError(res, 400);
    assert.equal(body.state, 'denied');
    assert.match(body.error, /counter/i);
    assert.equal(await txState(t, second.tx), 'denied');
  });

  it('denies a tampered signature', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id);
    const body = assertJsonError(await t.request('POST', webauthn(tx), { body: await authenticator.authenticate(options, { tamper: true }) }), 400);
    assert.equal(body.state, 'denied');
    assert.match(body.error, /signature/i);
    assert.equal(await txState(t, tx), 'denied');

    const audits = await t.request<{ rows: { action: string; extras?: Record<string, string> }[] }>('GET', `/api/v1/users/${user.id}/audits?q=denied`);
    assert.equal(audits.body.rows[0]?.action, 'denied');
    assert.equal(audits.body.rows[0]?.extras?.tx, tx);
  });

  it('denies an assertion for another origin and for another challenge', async () => {
    const { user, authenticator } = await enrolledUser();
    const a = await startAuthentication(t, user.id);
    const origin = assertJsonError(await t.request('POST', webauthn(a.tx), { body: await authenticator.authenticate(a.options, { origin: 'http://attacker.example:5173' }) }), 400);
    assert.equal(origin.state, 'denied');
    assert.match(origin.error, /origin/i);

    const b = await startAuthentication(t, user.id);
    const challenge = assertJsonError(await t.request('POST', webauthn(b.tx), { body: await authenticator.authenticate(b.options, { challenge: a.options.challenge }) }), 400);
    assert.equal(challenge.state, 'denied');
    assert.match(challenge.error, /challenge/i);
    assert.equal(await txState(t, b.tx), 'denied');
  });

  it("denies another user's credential (a TX for user A cannot sign in user B)", async () => {
    const alice = await enrolledUser();
    const bob = await enrolledUser();
    const { tx, options } = await startAuthentication(t, alice.user.id);
    // Bob's authenticator signs Alice's challenge with Bob's passkey.
    const response = await bob.authenticator.authenticate({ ...options, allowCredentials: [] });
    const body = assertJsonError(await t.request('POST', webauthn(tx), { body: response }), 400);
    assert.equal(body.state, 'denied');
    assert.match(body.error, /not a passkey of this transaction's user/);
    assert.equal(await txState(t, tx), 'denied');
  });

  it('refuses an expired TX with 410, on GET and POST, without sleeping', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id);
    const response = await authenticator.authenticate(options);
    t.clock.advance(5 * 60_000);
    assert.equal(await txState(t, tx), 'expired');
    const post = assertJsonError(await t.request('POST', webauthn(tx), { body: response }), 410);
    assert.equal(post.state, 'expired');
    const get = assertJsonError(await t.request('GET', webauthn(tx)), 410);
    assert.equal(get.state, 'expired');
    const cancel = assertJsonError(await t.request('DELETE', `/api/v1/transactions/${tx}/cancel`), 400);
    assert.equal(cancel.state, 'expired');
  });

  it('refuses a cancelled TX with 409 cancelled', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id);
    const cancel = await t.request('DELETE', `/api/v1/transactions/${tx}/cancel`);
    assert.equal(cancel.status, 200);
    assert.deepEqual(cancel.body, { state: 'cancelled' });
    const body = assertJsonError(await t.request('POST', webauthn(tx), { body: await authenticator.authenticate(options) }), 409);
    assert.equal(body.state, 'cancelled');
    assert.equal(await txState(t, tx), 'cancelled');
  });

  it('refuses a denied TX with 409 denied, even with a good response', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id);
    await t.request('POST', webauthn(tx), { body: await authenticator.authenticate(options, { tamper: true }) });
    const body = assertJsonError(await t.request('POST', webauthn(tx), { body: await authenticator.authenticate(options) }), 409);
    assert.equal(body.state, 'denied');
  });

  it('keeps the TX pending for a body that is not a WebAuthn response', async () => {
    const { user, authenticator } = await enrolledUser();
    const { tx, options } = await startAuthentication(t, user.id);
    const good = await authenticator.authenticate(options);
    const bad: unknown[] = [
      '{"id":',
      [],
      { id: good.id },
      { ...good, type: 'password' },
      { ...good, rawId: 'other' },
      { ...good, response: { ...good.response, signature: 42 } },
      { ...good, response: { ...good.response, clientDataJSON: 'not base64url!' } },
      { ...good, response: { ...good.response, clientDataJSON: Buffer.from('not json').toString('base64url') } },
    ];
    for (const body of bad) {
      const res = await t.request('POST', webauthn(tx), { body });
      const error = assertJsonError(res, 400);
      assert.equal(error.state, 'pending', `${JSON.stringify(body)} → ${res.text}`);
      assert.equal(await txState(t, tx), 'pending');
    }
    // …and the real response still verifies afterwards.
    const res = await t.request('POST', webauthn(tx), { body: good });
    assert.equal(res.status, 200, res.text);
  });

  it('answers 404 for an unknown TX and 400 for a TX id that is not a UUID', async () => {
    assertJsonError(await t.request('GET', webauthn(crypto.randomUUID())), 404);
    assertJsonError(await t.request('POST', webauthn(crypto.randomUUID()), { body: {} }), 404);
    assertJsonError(await t.request('GET', webauthn('not-a-uuid')), 400);
  });

  it('refuses a POST before the options were handed out (no challenge yet), keeping the TX pending', async () => {
    const { user, authenticator } = await enrolledUser();
    const start = await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/authenticate`);
    const forged = await authenticator.authenticate({ challenge: 'AAAA', rpId: 'localhost' });
    const body = assertJsonError(await t.request('POST', webauthn(start.body.tx), { body: forged }), 400);
    assert.equal(body.state, 'pending');
    assert.equal(await txState(t, start.body.tx), 'pending');
  });

  it('runs the ceremony of the kind the TX was made for', async () => {
    const { user, authenticator } = await enrolledUser();
    const other = await createUser(t);
    const registration = await startRegistration(t, other.id);
    // An assertion posted to a registration TX is not a registration response.
    const { options } = await startAuthentication(t, user.id);
    const assertion = await authenticator.authenticate(options);
    const body = assertJsonError(await t.request('POST', webauthn(registration.tx), { body: assertion }), 400);
    assert.equal(body.state, 'pending');
  });
});

describe('relying party options', () => {
  it('accepts only the configured origins when `origins` is given', async () => {
    const custom = await startTestEmulator({ origins: ['https://app.example.test'], rpID: 'localhost' });
    try {
      const user = await createUser(custom);
      const good = new SoftAuthenticator({ origin: 'https://app.example.test' });
      await registerPasskey(custom, user.id, good);

      const { tx, options } = await startAuthentication(custom, user.id);
      const res = await custom.request('POST', webauthn(tx), { body: await good.authenticate(options, { origin: TEST_ORIGIN }) });
      const body = assertJsonError(res, 400);
      assert.equal(body.state, 'denied');
      assert.match(body.error, /origin/i);
    } finally {
      await custom.close();
    }
  });
});
