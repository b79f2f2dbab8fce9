/**
 * Security rule: a TX is bound to the user, kind and flow the proxy created
 * it for, and is verified at most once (SendAuth lenient or not).
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { TX_ATTEMPTS_MAX } from '../../src/proxy/http.js';
import {
  apiClient,
  call,
  countingFetch,
  createUser,
  createUserWithPasskey,
  expectError,
  ORIGIN,
  readJson,
  sessionFromHeader,
  SoftAuthenticator,
} from '../support/proxy-fixture.js';
import {
  client,
  emu,
  LenientSendAuth,
  lenientClient,
  setup,
  startAuthentication,
  startRegistration,
  stateAtSendAuth,
  useEmulator,
} from '../support/proxy-security-fixture.js';

useEmulator();

describe('a TX is bound to the user, kind and flow the proxy created it for', () => {
  test('a TX this proxy did not create is tx-not-found, and SendAuth is not asked', async () => {
    const counting = countingFetch();
    const { handler, verified } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const user = await createUserWithPasskey(client);
    const { tx } = await client.authenticateUser(user.id);
    const ceremony = await client.getCeremony(tx);
    if (ceremony.kind !== 'authentication') throw new Error('unreachable');
    const response = await user.authenticator.authenticate(ceremony.options);

    await expectError(await call(handler, `/tx/${tx}/verify`, { body: response }), 404, 'tx-not-found');
    await expectError(await call(handler, `/tx/${tx}`), 404, 'tx-not-found');
    await expectError(await call(handler, `/tx/${tx}`, { method: 'DELETE' }), 404, 'tx-not-found');
    assert.deepEqual(counting.requests, []);
    assert.equal(await stateAtSendAuth(tx), 'pending');
    assert.equal(verified.length, 0);

    // Nor does another proxy instance's TX count (with the default in-memory store).
    const { handler: elsewhere } = setup();
    const theirs = await startAuthentication(elsewhere, user);
    const answer = await call(handler, `/tx/${theirs.tx}/verify`, { body: await user.authenticator.authenticate(theirs.options) });
    await expectError(answer, 404, 'tx-not-found');
    assert.equal(await stateAtSendAuth(theirs.tx), 'pending');
  });

  test('a registration response to an authentication TX, and the other way round, is invalid-request before SendAuth', async () => {
    const counting = countingFetch();
    const { handler, verified } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const signer = await createUserWithPasskey(client);
    const enroller = await createUser(client);
    const signIn = await startAuthentication(handler, signer);
    const enrol = await startRegistration(handler, enroller);
    const registration = await new SoftAuthenticator({ origin: ORIGIN }).register(enrol.options);
    const authentication = await signer.authenticator.authenticate(signIn.options);
    counting.requests.length = 0;

    await expectError(await call(handler, `/tx/${signIn.tx}/verify`, { body: registration }), 400, 'invalid-request');
    await expectError(
      await call(handler, `/tx/${enrol.tx}/verify`, { body: authentication, session: enroller.id }),
      400,
      'invalid-request',
    );
    assert.deepEqual(counting.requests, [], 'the proxy refused both without asking SendAuth');
    assert.equal(await stateAtSendAuth(signIn.tx), 'pending');
    assert.equal(await stateAtSendAuth(enrol.tx), 'pending');
    assert.equal((await client.getUser(enroller.id)).hasPasskeys, false);
    assert.equal(verified.length, 0);

    // Each TX still works with the right kind of response.
    assert.equal((await call(handler, `/tx/${signIn.tx}/verify`, { body: authentication })).status, 200);
    assert.equal((await call(handler, `/tx/${enrol.tx}/verify`, { body: registration, session: enroller.id })).status, 200);
  });

  test('a register TX verified under another session user (or none) is forbidden', async () => {
    const counting = countingFetch();
    const { handler, verified } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const owner = await createUser(client);
    const intruder = await createUser(client);
    const start = await startRegistration(handler, owner);
    const registration = await new SoftAuthenticator({ origin: ORIGIN }).register(start.options);
    counting.requests.length = 0;

    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: registration, session: intruder.id }), 403, 'forbidden');
    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: registration }), 403, 'forbidden');
    assert.deepEqual(counting.requests, []);
    assert.equal(await stateAtSendAuth(start.tx), 'pending');
    assert.equal((await client.getUser(owner.id)).hasPasskeys, false);
    assert.equal(verified.length, 0);

    const answer = await call(handler, `/tx/${start.tx}/verify`, { body: registration, session: owner.id });
    assert.equal(answer.status, 200);
    assert.deepEqual(verified.map((e) => e.userId), [owner.id]);
  });

  test('verifies of a register TX from another session spend none of its budget and hold no marker: its owner still enrols', async () => {
    // A site whose session look-up takes a moment (a database), as most do.
    const { handler, verified } = setup({ getSessionUserId: async (request) => (await delay(20), sessionFromHeader(request)) });
    const owner = await createUser(client);
    const intruder = await createUser(client);
    const start = await startRegistration(handler, owner);
    const registration = await new SoftAuthenticator({ origin: ORIGIN }).register(start.options);

    for (let i = 0; i < TX_ATTEMPTS_MAX + 2; i += 1) {
      await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: registration, session: intruder.id }), 403, 'forbidden');
    }
    // While other sessions' verifies are under way, the owner's is not taken for a replay.
    const [answer, ...others] = await Promise.all([
      delay(5).then(() => call(handler, `/tx/${start.tx}/verify`, { body: registration, session: owner.id })),
      ...[1, 2, 3].map(() => call(handler, `/tx/${start.tx}/verify`, { body: registration, session: intruder.id })),
    ]);
    assert.equal(answer!.status, 200, await answer!.clone().text());
    for (const other of others) await expectError(other, 403, 'forbidden');
    assert.deepEqual(verified.map((e) => e.userId), [owner.id]);
  });

  test("user A's authentication TX cannot sign in user B", async () => {
    const { handler, verified } = setup();
    const alice = await createUserWithPasskey(client, 'Alice');
    const bob = await createUserWithPasskey(client, 'Bobby');

    // Bob's own credential over Alice's TX: SendAuth denies it.
    const aliceTx = await startAuthentication(handler, alice);
    const bobsAnswer = await bob.authenticator.authenticate({ ...aliceTx.options, allowCredentials: [] });
    const refused = await call(handler, `/tx/${aliceTx.tx}/verify`, { body: bobsAnswer, session: bob.id });
    assert.deepEqual(refused.headers.getSetCookie(), []);
    await expectError(refused, 400, 'tx-denied');
    assert.equal(await stateAtSendAuth(aliceTx.tx), 'denied');
    assert.equal(verified.length, 0);

    // Whatever the request says about Bob, Alice's TX signs in Alice.
    const again = await startAuthentication(handler, alice);
    const answer = await call(handler, `/tx/${again.tx}/verify?userId=${bob.id}`, {
      body: await alice.authenticator.authenticate(again.options),
      session: bob.id,
      headers: { 'x-user-id': bob.id },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(await readJson(answer), { state: 'verified', kind: 'authentication', userId: alice.id });
    assert.deepEqual(answer.headers.getSetCookie(), [`sid=${alice.id}; HttpOnly`]);
    assert.deepEqual(verified.map((e) => e.userId), [alice.id]);
  });

  test('a verified TX verified again is replayed (SendAuth lenient or not)', async () => {
    const { handler, verified } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);
    const response = await user.authenticator.authenticate(start.options);
    assert.equal((await call(handler, `/tx/${start.tx}/verify`, { body: response })).status, 200);
    const replay = await call(handler, `/tx/${start.tx}/verify`, { body: response });
    assert.deepEqual(replay.headers.getSetCookie(), []);
    await expectError(replay, 409, 'replayed');
    await expectError(
      await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) }),
      409,
      'replayed',
    );
    assert.equal(verified.length, 1);

    // The proxy's own memory refuses it, even from a SendAuth that would complete it twice.
    const lenient = lenientClient();
    const own = setup({ sendauth: lenient });
    const tx = await startAuthentication(own.handler, user);
    const body = await user.authenticator.authenticate(tx.options);
    assert.equal((await call(own.handler, `/tx/${tx.tx}/verify`, { body })).status, 200);
    await expectError(await call(own.handler, `/tx/${tx.tx}/verify`, { body }), 409, 'replayed');
    assert.equal(lenient.completed, 1);
    assert.equal(own.verified.length, 1);
  });

  test('two concurrent verifies of one TX: exactly one 200 (SendAuth lenient or not)', async () => {
    const user = await createUserWithPasskey(client);
    for (const sendauth of [client, lenientClient()]) {
      const { handler, verified } = setup({ sendauth });
      const start = await startAuthentication(handler, user);
      const body = await user.authenticator.authenticate(start.options);
      const answers = await Promise.all([1, 2, 3].map(() => call(handler, `/tx/${start.tx}/verify`, { body })));
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses.filter((s) => s === 200), [200], `statuses ${statuses.join(', ')}`);
      for (const answer of answers.filter((a) => a.status !== 200)) {
        const { error } = await expectError(answer, answer.status);
        assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status} ${error.code}`);
      }
      assert.equal(verified.length, 1);
      if (sendauth instanceof LenientSendAuth) assert.equal(sendauth.completed, 1);
    }
  });

  test(
    'a verify whose body arrives after another verify of the same TX finished is replayed',
    async () => {
      // The replay check must hold after the body is read, not only before: a slow
      // upload that began while the TX was still pending must not complete it twice.
      const lenient = lenientClient();
      const { handler, verified } = setup({ sendauth: lenient });
      const user = await createUserWithPasskey(client);
      const start = await startAuthentication(handler, user);
      const body = JSON.stringify(await user.authenticator.authenticate(start.options));

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reading!: () => void;
      const bodyRequested = new Promise<void>((resolve) => (reading = resolve));
      const slowBody = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            reading();
            await released;
            controller.enqueue(new TextEncoder().encode(body));
            controller.close();
          },
        },
        { highWaterMark: 0 }, // pull only when the proxy reads
      );
      // With a Content-Length, as any browser upload has: the body is read by the route, not buffered before it.
      const slow = call(handler, `/tx/${start.tx}/verify`, { raw: slowBody, headers: { 'content-length': String(Buffer.byteLength(body)) } });
      await bodyRequested; // the slow request has passed its first checks and waits for its body
      assert.equal((await call(handler, `/tx/${start.tx}/verify`, { raw: body })).status, 200);
      release();
      await expectError(await slow, 409, 'replayed');
      assert.equal(verified.length, 1);
      assert.equal(lenient.completed, 1);
    },
  );
});
