/**
 * Security rule: SendAuth down, slow or failing is a prompt 502/504
 * `upstream`, never SendAuth's own page, and leaves nothing half-done behind.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import { SendAuthClient, SendAuthError } from '../../src/api/index.js';
import type { CeremonyOptions } from '../../src/types.js';
import {
  API_PASSWORD,
  API_USERNAME,
  call,
  closedPortUrl,
  createUser,
  createUserWithPasskey,
  expectError,
  expectStart,
  listenLocal,
} from '../support/proxy-fixture.js';
import { client, emu, setup, stateAtSendAuth, useEmulator, type Handler } from '../support/proxy-security-fixture.js';

useEmulator();

describe('SendAuth down, slow or failing', () => {
  async function allStartsFail(handler: Handler, status: number, withinMs: number): Promise<void> {
    const userId = randomUUID();
    const requests: Array<[string, Parameters<typeof call>[2]]> = [
      ['/authenticate', { body: { userId } }],
      ['/authenticate', { body: { username: 'someone@example.test' } }],
      ['/register', { body: {}, session: userId }],
      ['/signup', { body: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' } }],
      ['/me', { session: userId }],
      ['/me/passkey', { method: 'DELETE', session: userId }],
    ];
    await Promise.all(
      requests.map(async ([path, init]) => {
        const started = performance.now();
        const answer = await call(handler, path, init);
        const took = performance.now() - started;
        await expectError(answer, status, 'upstream');
        assert.ok(took < withinMs, `${path} took ${Math.round(took)} ms`);
      }),
    );
  }

  test('down (nothing listening): 502 upstream', async () => {
    const url = await closedPortUrl();
    const { handler, errors } = setup({ sendauth: { baseUrl: url, username: API_USERNAME, password: API_PASSWORD }, allowSignup: true });
    await allStartsFail(handler, 502, 5_000);
    assert.ok(errors.length > 0, 'onError heard of it');
  });

  test('slow (never answers): 504 upstream within the configured timeout', async () => {
    const hanging = await listenLocal(createServer(() => undefined));
    try {
      const { handler } = setup({
        sendauth: { baseUrl: hanging.url, username: API_USERNAME, password: API_PASSWORD, timeoutMs: 300 },
        allowSignup: true,
      });
      await allStartsFail(handler, 504, 2_000);
    } finally {
      await hanging.close();
    }
  });

  test('5xx: 502 upstream, never its page', async () => {
    for (const [status, contentType, body] of [
      [500, 'application/json', '{"error":"boom"}'],
      [503, 'text/html', '<html><body>Service Unavailable at /srv/sendauth/app.js:12:3</body></html>'],
      [502, 'text/plain', 'bad gateway'],
    ] as const) {
      const failing = await listenLocal(
        createServer((_request, response) => {
          response.writeHead(status, { 'content-type': contentType });
          response.end(body);
        }),
      );
      try {
        const { handler } = setup({ sendauth: { baseUrl: failing.url, username: API_USERNAME, password: API_PASSWORD }, allowSignup: true });
        await allStartsFail(handler, 502, 5_000);
      } finally {
        await failing.close();
      }
    }
  });

  describe('nothing half-done is left behind', () => {
    /** A client against the real emulator whose getCeremony fails, remembering the TXs it was asked about. */
    function failingCeremony(failure: () => Error) {
      const asked: string[] = [];
      class NoOptions extends SendAuthClient {
        override async getCeremony(tx: string): Promise<CeremonyOptions> {
          asked.push(tx);
          throw failure();
        }
      }
      return { sendauth: new NoOptions({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD }), asked };
    }
    const unavailable = () => new SendAuthError({ operation: 'getCeremony', status: 503, code: 'upstream', message: 'SendAuth answered 503' });

    test('authenticate: the TX whose options could not be fetched is cancelled', async () => {
      for (const failure of [unavailable, () => new TypeError('socket hang up')]) {
        const { sendauth, asked } = failingCeremony(failure);
        const { handler } = setup({ sendauth });
        const user = await createUserWithPasskey(client);
        const answer = await call(handler, '/authenticate', { body: { username: user.email } });
        assert.ok(answer.status >= 500, `status ${answer.status}`);
        await expectError(answer, answer.status, 'upstream');
        assert.equal(asked.length, 1);
        assert.equal(await stateAtSendAuth(asked[0]!), 'cancelled');
        const states = (await client.getUserTransactions(user.id)).rows.filter((t) => t.id !== undefined && t.state !== 'verified');
        assert.deepEqual(states.map((t) => [t.id, t.state]), [[asked[0], 'cancelled']], 'no pending TX left');
        // The proxy does not know it either.
        await expectError(await call(handler, `/tx/${asked[0]}`), 404, 'tx-not-found');
      }
    });

    test('register: the TX is cancelled', async () => {
      const { sendauth, asked } = failingCeremony(unavailable);
      const { handler } = setup({ sendauth });
      const user = await createUser(client);
      await expectError(await call(handler, '/register', { body: {}, session: user.id }), 502, 'upstream');
      assert.equal(asked.length, 1);
      assert.equal(await stateAtSendAuth(asked[0]!), 'cancelled');
      assert.equal((await client.getUser(user.id)).hasPasskeys, false);
    });

    test('signup: the user is not left behind (neither live nor deleted)', async () => {
      const { sendauth, asked } = failingCeremony(unavailable);
      const { handler } = setup({ sendauth, allowSignup: true });
      const email = `${randomUUID()}@example.test`;
      await expectError(await call(handler, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace' } }), 502, 'upstream');
      assert.equal(asked.length, 1);
      assert.equal((await client.listUsers({ q: email })).total, 0);
      assert.equal((await client.listDeletedUsers({ q: email })).total, 0);

      // The same email can sign up once SendAuth is well again.
      const { handler: healthy } = setup({ allowSignup: true });
      await expectStart(await call(healthy, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace' } }), 'registration');
    });

    test('signup: a failed registration start removes the new user too', async () => {
      class NoRegister extends SendAuthClient {
        override async registerUser(): Promise<never> {
          throw new SendAuthError({ operation: 'registerUser', status: 500, code: 'upstream', message: 'SendAuth answered 500' });
        }
      }
      const { handler } = setup({ sendauth: new NoRegister({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD }), allowSignup: true });
      const email = `${randomUUID()}@example.test`;
      await expectError(await call(handler, '/signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace' } }), 502, 'upstream');
      assert.equal((await client.listUsers({ q: email })).total, 0);
      assert.equal((await client.listDeletedUsers({ q: email })).total, 0);
    });
  });

  test('a SendAuth failure with a code the registry does not map from SendAuth is 502 upstream and reported, never the visitor’s invalid-request', async () => {
    for (const code of ['not-supported', 'network', 'timeout', 'rp-mismatch'] as const) {
      class Odd extends SendAuthClient {
        override async getUser(): Promise<never> {
          throw new SendAuthError({ operation: 'getUser', status: 418, code, message: `SendAuth answered 418 (${code})` });
        }
      }
      const { handler, errors } = setup({ sendauth: new Odd({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD }) });
      await expectError(await call(handler, '/me', { session: randomUUID() }), 502, 'upstream');
      assert.equal(errors.length, 1, `${code}: onError heard of it`);
    }
  });
});
