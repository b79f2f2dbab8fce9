/**
 * Security rules: CSRF (JSON Content-Type and a same-site or allowed Origin
 * for every state-changing request) and the body size limit.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { createSendAuthProxy } from '../../src/proxy/index.js';
import { apiClient, call, countingFetch, createUserWithPasskey, expectError, expectStart, readJson } from '../support/proxy-fixture.js';
import { client, emu, setup, startAuthentication, stateAtSendAuth, useEmulator } from '../support/proxy-security-fixture.js';

useEmulator();

describe('CSRF', () => {
  test('a POST without Content-Type: application/json is 403, whatever its body', async () => {
    const counting = countingFetch();
    const { handler } = setup({ allowSignup: true, sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const user = await createUserWithPasskey(client);
    const json = JSON.stringify({ username: user.email });
    for (const contentType of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json-patch+json',
      'text/json',
      null,
    ]) {
      const answer = await call(handler, '/authenticate', { raw: json, contentType });
      await expectError(answer, 403, 'forbidden');
    }
    await expectError(
      await call(handler, '/authenticate', { raw: `username=${encodeURIComponent(user.email)}`, contentType: 'application/x-www-form-urlencoded' }),
      403,
      'forbidden',
    );
    await expectError(await call(handler, '/register', { raw: '{}', contentType: 'text/plain', session: user.id }), 403, 'forbidden');
    await expectError(
      await call(handler, '/signup', { raw: JSON.stringify({ email: `${randomUUID()}@example.test`, firstName: 'Ab', lastName: 'Cd' }), contentType: 'text/plain' }),
      403,
      'forbidden',
    );
    assert.deepEqual(counting.requests, []);

    // DELETEs too: a cross-site request cannot cancel a TX or remove passkeys.
    const { handler: real } = setup();
    const start = await startAuthentication(real, user);
    await expectError(await call(real, `/tx/${start.tx}`, { method: 'DELETE', contentType: null }), 403, 'forbidden');
    await expectError(await call(real, '/me/passkey', { method: 'DELETE', contentType: null, session: user.id }), 403, 'forbidden');
    assert.equal(await stateAtSendAuth(start.tx), 'pending');
    assert.equal((await client.getUser(user.id)).hasPasskeys, true);

    // The charset parameter and letter case do not matter.
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON']) {
      await expectStart(await call(real, '/authenticate', { body: { userId: user.id }, contentType, ip: `10.1.0.${contentType.length}` }), 'authentication');
    }
  });

  test('a state-changing request without an Origin is 403', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, origin: null }), 403, 'forbidden');
    await expectError(await call(handler, '/register', { body: {}, origin: null, session: user.id }), 403, 'forbidden');
    await expectError(await call(handler, '/me/passkey', { method: 'DELETE', origin: null, session: user.id }), 403, 'forbidden');
    assert.equal((await client.getUser(user.id)).hasPasskeys, true);
    assert.equal((await client.getUserTransactions(user.id)).rows.filter((t) => t.state === 'pending').length, 0);
  });

  test('the 403 says what was wrong: no Origin, or the Origin seen against those allowed and the option to change', async () => {
    const user = await createUserWithPasskey(client);
    const message = async (answer: Response) => ((await readJson(answer)) as { error: { message: string } }).error.message;
    const { handler } = setup();
    assert.equal(
      await message(await call(handler, '/authenticate', { body: { userId: user.id }, origin: null })),
      'State-changing requests must have an Origin header (browsers send one): this request has none.',
    );
    // A Vite dev server on 5173 forwarding to the backend with changeOrigin: the proxy sees the backend's host.
    const forwarded = await handler(
      new Request('http://localhost:3000/sendauth/authenticate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
        body: JSON.stringify({ userId: user.id }),
      }),
    );
    assert.equal(forwarded.status, 403);
    assert.equal(
      await message(forwarded),
      'Origin "http://localhost:5173" is not allowed here; allowed: http://localhost:3000 (the request’s own; set the proxy’s allowedOrigins when pages are served from elsewhere).',
    );
    const { handler: listed } = setup({ allowedOrigins: ['https://www.example.com', 'https://example.com'] });
    assert.equal(
      await message(await call(listed, '/authenticate', { body: { userId: user.id }, origin: 'http://evil.example' })),
      'Origin "http://evil.example" is not allowed here; allowed: https://www.example.com, https://example.com.',
    );
  });

  test('a foreign Origin is 403', async () => {
    const { handler, verified } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);
    const response = await user.authenticator.authenticate(start.options);
    for (const origin of ['http://evil.example', 'null', 'http://localhost:5174', 'https://localhost:5173', 'http://localhost:5173.evil.example', 'http://LOCALHOST:5173 ']) {
      await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, origin }), 403, 'forbidden');
      await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: response, origin }), 403, 'forbidden');
      await expectError(await call(handler, `/tx/${start.tx}`, { method: 'DELETE', origin }), 403, 'forbidden');
    }
    assert.equal(await stateAtSendAuth(start.tx), 'pending');
    assert.equal(verified.length, 0);
  });

  test('an origin in allowedOrigins is allowed (and then only those)', async () => {
    const { handler } = setup({ allowedOrigins: ['https://app.example.com', 'http://localhost:3000'] });
    const user = await createUserWithPasskey(client);
    await expectStart(await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'https://app.example.com' }), 'authentication');
    await expectStart(await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'http://localhost:3000' }), 'authentication');
    // As behind a reverse proxy: the request URL is internal, the Origin the public one.
    await expectStart(
      await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'https://app.example.com', url: 'http://10.0.0.7:8080/sendauth/authenticate' }),
      'authentication',
    );
    await expectError(await call(handler, '/authenticate', { body: { userId: user.id } }), 403, 'forbidden');
    await expectError(await call(handler, '/authenticate', { body: { userId: user.id }, origin: 'https://evil.example.com' }), 403, 'forbidden');
  });

  test('GET needs neither Content-Type nor Origin', async () => {
    const { handler } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);
    const state = await call(handler, `/tx/${start.tx}`, { origin: null, contentType: null });
    assert.equal(state.status, 200);
    assert.deepEqual(await readJson(state), { state: 'pending' });
    // Even a foreign one: reading is harmless, and CORS keeps the answer from the other site.
    assert.equal((await call(handler, '/me', { session: user.id, origin: 'http://evil.example' })).status, 200);
    assert.equal((await call(handler, '/me', { session: user.id, origin: null })).status, 200);
  });

  test('a body over 64 KB is 413, before anything else happens', async () => {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }), rateLimit: false });
    const user = await createUserWithPasskey(client);
    const json = JSON.stringify({ userId: user.id });
    const padded = (size: number) => json + ' '.repeat(size - json.length);

    await expectStart(await call(handler, '/authenticate', { raw: padded(65_536) }), 'authentication');
    counting.requests.length = 0;
    await expectError(await call(handler, '/authenticate', { raw: padded(65_537) }), 413, 'invalid-request');
    await expectError(await call(handler, '/authenticate', { raw: padded(5_000_000) }), 413, 'invalid-request');
    // Without a Content-Length (streamed), too.
    const chunk = new TextEncoder().encode(padded(40_000));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode(' '.repeat(40_000)));
        controller.close();
      },
    });
    await expectError(await call(handler, '/authenticate', { raw: stream }), 413, 'invalid-request');
    await expectError(await call(handler, '/signup', { raw: padded(65_537) }), 413);
    await expectError(await call(handler, `/tx/${randomUUID()}/verify`, { raw: padded(100_000) }), 413);
    assert.deepEqual(counting.requests, []);

    // maxBodyBytes moves the limit.
    const small = createSendAuthProxy({ sendauth: client, maxBodyBytes: 1_024, rateLimit: false });
    await expectError(await call(small, '/authenticate', { raw: padded(1_025) }), 413, 'invalid-request');
    await expectStart(await call(small, '/authenticate', { raw: padded(1_024) }), 'authentication');
  });
});
