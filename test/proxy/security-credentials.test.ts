/**
 * Security rule: the SendAuth API credentials never leave the proxy — not in
 * any answer of any endpoint, nor in onError or the console, even when
 * SendAuth refuses them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { format, inspect } from 'node:util';
import { createSendAuthProxy } from '../../src/proxy/index.js';
import type { CeremonyStart } from '../../src/wire.js';
import {
  API_PASSWORD,
  API_TOKEN,
  API_USERNAME,
  call,
  createUser,
  createUserWithPasskey,
  expectError,
  readJson,
  sessionFromHeader,
  startTestEmulator,
} from '../support/proxy-fixture.js';
import { client, emu, useEmulator } from '../support/proxy-security-fixture.js';

useEmulator();

describe('credentials never leave the proxy', () => {
  const secrets = [API_PASSWORD, API_TOKEN, `${API_USERNAME}:${API_PASSWORD}`, API_USERNAME];

  function assertNoSecret(text: string, where: string): void {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${where} reveals a credential: ${text.slice(0, 500)}`);
  }

  async function assertCleanResponse(response: Response, where: string): Promise<void> {
    const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
    assertNoSecret(headers, `${where} headers`);
    assertNoSecret(await response.text(), `${where} body`);
  }

  function assertCleanError(error: unknown, where: string): void {
    const views = [String(error), JSON.stringify(error) ?? '', inspect(error, { depth: 20, showHidden: true })];
    if (error instanceof Error) views.push(error.stack ?? '');
    for (const view of views) assertNoSecret(view, where);
  }

  test('in no answer of any endpoint, success or error', async () => {
    const errors: unknown[] = [];
    const handler = createSendAuthProxy({
      // The settings object, so the proxy itself holds the password.
      sendauth: { baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD },
      allowSignup: true,
      getSessionUserId: sessionFromHeader,
      onVerified: () => ({ 'Set-Cookie': 'sid=1' }),
      onError: (error) => errors.push(error),
      rateLimit: { ipLimit: 3 },
    });
    const user = await createUserWithPasskey(client);
    const fresh = await createUser(client);
    const seen: Array<[string, Response]> = [];
    const hit = async (where: string, path: string, init: Parameters<typeof call>[2] = {}): Promise<Response> => {
      const response = await call(handler, path, init);
      seen.push([where, response.clone()]);
      return response;
    };

    const signup = await readJson<CeremonyStart>(
      await hit('signup', '/signup', { body: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' } }),
    );
    await hit('signup duplicate', '/signup', { body: { email: user.email, firstName: 'Ada', lastName: 'Lovelace' } });
    await hit('signup invalid', '/signup', { body: { email: 'nope' } });
    const auth = await readJson<CeremonyStart>(await hit('authenticate', '/authenticate', { body: { username: user.email } }));
    if (auth.kind !== 'authentication') throw new Error('unreachable');
    await hit('authenticate unknown', '/authenticate', { body: { username: 'nobody@example.test' } });
    await hit('authenticate no passkey', '/authenticate', { body: { userId: fresh.id } });
    await hit('authenticate invalid', '/authenticate', { body: { userId: 'x' } });
    await hit('authenticate rate limited', '/authenticate', { body: { username: 'nobody2@example.test' } });
    await hit('verify denied', `/tx/${auth.tx}/verify`, { body: await user.authenticator.authenticate(auth.options, { tamper: true }) });
    await hit('verify replayed', `/tx/${auth.tx}/verify`, { body: await user.authenticator.authenticate(auth.options) });
    const auth2 = await readJson<CeremonyStart>(await hit('authenticate 2', '/authenticate', { body: { userId: user.id }, ip: '10.0.0.2' }));
    if (auth2.kind !== 'authentication') throw new Error('unreachable');
    await hit('verify', `/tx/${auth2.tx}/verify`, { body: await user.authenticator.authenticate(auth2.options) });
    await hit('verify again', `/tx/${auth2.tx}/verify`, { body: await user.authenticator.authenticate(auth2.options) });
    await hit('verify unknown tx', `/tx/${randomUUID()}/verify`, { body: {} });
    await hit('verify invalid', `/tx/${signup.tx}/verify`, { body: { id: 1 } });
    await hit('tx state', `/tx/${signup.tx}`);
    await hit('tx cancel', `/tx/${signup.tx}`, { method: 'DELETE', body: { proof: signup.proof } });
    await hit('tx cancel again', `/tx/${auth2.tx}`, { method: 'DELETE', body: { proof: auth2.proof } });
    await hit('tx unknown', `/tx/${randomUUID()}`);
    await hit('register', '/register', { body: {}, session: fresh.id, ip: '10.0.0.3' });
    await hit('register already', '/register', { body: {}, session: user.id, ip: '10.0.0.3' });
    await hit('register no session', '/register', { body: {} });
    await hit('register unknown user', '/register', { body: {}, session: randomUUID(), ip: '10.0.0.4' });
    await hit('me', '/me', { session: user.id });
    await hit('me unknown user', '/me', { session: randomUUID() });
    await hit('me no session', '/me');
    await hit('me/passkey', '/me/passkey', { method: 'DELETE', session: user.id });
    await hit('csrf', '/authenticate', { body: { username: 'x' }, origin: 'http://evil.example' });
    await hit('too large', '/authenticate', { raw: ' '.repeat(70_000) });
    await hit('wrong method', '/authenticate');
    await hit('unknown path', '/nope');

    const statuses = new Set(seen.map(([, r]) => r.status));
    for (const status of [200, 201, 400, 401, 403, 404, 405, 409, 413, 429]) assert.ok(statuses.has(status), `the sweep missed a ${status}`);
    for (const [where, response] of seen) await assertCleanResponse(response, where);
    for (const error of errors) assertCleanError(error, 'onError');
  });

  test('not when SendAuth refuses them: 502 upstream, and nothing in onError or the console', async () => {
    const other = await startTestEmulator({ username: 'someone-else', password: 'another-password' });
    const printed: string[] = [];
    const originalError = console.error;
    const originalWarn = console.warn;
    const originalLog = console.log;
    console.error = (...args: unknown[]) => void printed.push(format(...args));
    console.warn = console.error;
    console.log = console.error;
    try {
      const reported: unknown[] = [];
      const sendauth = { baseUrl: other.url, username: API_USERNAME, password: API_PASSWORD };
      const withHook = createSendAuthProxy({ sendauth, allowSignup: true, getSessionUserId: sessionFromHeader, onError: (e) => reported.push(e) });
      // Without onError the proxy logs to the console itself.
      const withConsole = createSendAuthProxy({ sendauth, allowSignup: true, getSessionUserId: sessionFromHeader });
      const userId = randomUUID();
      for (const handler of [withHook, withConsole]) {
        const answers = [
          await call(handler, '/authenticate', { body: { username: 'someone@example.test' } }),
          await call(handler, '/authenticate', { body: { userId } }),
          await call(handler, '/register', { body: {}, session: userId }),
          await call(handler, '/signup', { body: { email: `${randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' } }),
          await call(handler, '/me', { session: userId }),
          await call(handler, '/me/passkey', { method: 'DELETE', session: userId }),
        ];
        for (const answer of answers) {
          await assertCleanResponse(answer.clone(), 'refused upstream');
          const body = await expectError(answer, 502, 'upstream');
          // Not `unauthorized`: the visitor did nothing wrong; the site's configuration did.
          assert.doesNotMatch(body.error.message, /sign in/i);
        }
      }
      assert.ok(reported.length >= 6, 'onError was told about the refused credentials');
      for (const error of reported) assertCleanError(error, 'onError');
      assert.ok(printed.length >= 6, 'the default onError logged');
      for (const line of printed) assertNoSecret(line, 'console');
    } finally {
      console.error = originalError;
      console.warn = originalWarn;
      console.log = originalLog;
      await other.close();
    }
  });
});
