/**
 * No half-made accounts: whatever ends a sign-up without a verified passkey
 * leaves the email free for the next sign-up, through the real proxy and
 * emulator, for every way a sign-up can end: cancelled, the prompt closed
 * (the TX left pending) and expired, denied, the proxy restarted (a fresh
 * instance with a fresh store), SendAuth down between creating the user and
 * its passkey. And never the other way round: an administrator's user, a
 * finished sign-up, a ceremony still running, or a second sign-up for the
 * same email at the same moment are never taken over.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SendAuthClient } from '../../src/api/client.js';
import { SendAuthError } from '../../src/api/errors.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { isRetryable } from '../../src/error-codes.js';
import { createSendAuthProxy, type SendAuthProxyOptions } from '../../src/proxy/index.js';
import { SIGNUP_SETUP_GRACE_MS, SIGNUP_TAG } from '../../src/proxy/unfinished-signups.js';
import type { CeremonyStart } from '../../src/wire.js';
import {
  API_PASSWORD,
  API_USERNAME,
  ORIGIN,
  apiClient,
  call,
  expectError,
  expectStart,
  readJson,
  startTestEmulator,
} from '../support/proxy-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

let emu: RunningEmulator;
let client: SendAuthClient;
/** The emulator's clock runs this far ahead of real time (TXs expire without waiting). */
let emulatorAheadMs = 0;

before(async () => {
  emu = await startTestEmulator({ now: () => Date.now() + emulatorAheadMs });
  client = apiClient(emu);
});
after(() => emu.close());

type Handler = ReturnType<typeof createSendAuthProxy>;

function proxy(options: Partial<SendAuthProxyOptions> = {}): Handler {
  return createSendAuthProxy({ sendauth: client, allowSignup: true, rateLimit: false, onError: () => undefined, ...options });
}

function signupBody(email = `signup-${randomUUID()}@example.test`) {
  return { email, firstName: 'Ada', lastName: 'Lovelace' };
}

type SignupBody = ReturnType<typeof signupBody>;

async function startSignup(handler: Handler, body: SignupBody): Promise<CeremonyStart & { userId: string }> {
  const start = await expectStart(await call(handler, '/signup', { body }), 'registration');
  const [user] = (await client.listUsers({ q: body.email })).rows;
  assert.ok(user?.id, 'the sign-up created the user');
  return { ...start, userId: user.id };
}

/** The passkey ceremony as a browser would finish it, through the proxy's verify. */
async function finish(handler: Handler, start: CeremonyStart, authenticator = new SoftAuthenticator({ origin: ORIGIN })): Promise<Response> {
  assert.equal(start.kind, 'registration');
  return call(handler, `/tx/${start.tx}/verify`, { body: await authenticator.register(start.options) });
}

async function userExists(userId: string): Promise<boolean> {
  try {
    await client.getUser(userId);
    return true;
  } catch (error) {
    if (error instanceof SendAuthError && error.code === 'user-not-found') return false;
    throw error;
  }
}

/** The next sign-up with the same email succeeds: a new user, the old one gone, and its passkey verifies. */
async function expectEmailFree(handler: Handler, body: SignupBody, oldUserId: string): Promise<void> {
  const again = await startSignup(handler, body);
  assert.notEqual(again.userId, oldUserId, 'a fresh user');
  assert.equal(await userExists(oldUserId), false, 'the half-made user is gone');
  const verified = await finish(handler, again);
  assert.equal(verified.status, 200, JSON.stringify(await readJson(verified.clone())));
  assert.equal((await client.getUser(again.userId)).hasPasskeys, true);
}

describe('a sign-up that ends without a verified passkey leaves the email free', () => {
  test('cancelled (the element released the TX): the next sign-up succeeds at once', async () => {
    const handler = proxy();
    const body = signupBody();
    const first = await startSignup(handler, body);
    assert.equal((await call(handler, `/tx/${first.tx}`, { method: 'DELETE', body: { proof: first.proof } })).status, 200);
    await expectEmailFree(handler, body, first.userId);
  });

  test('the prompt closed and nothing cancelled the TX: taken over once it expires, not while it is pending', async () => {
    const handler = proxy();
    const body = signupBody();
    const first = await startSignup(handler, body);
    // Still pending: the visitor may be in the prompt right now (another tab). Not stolen.
    await expectError(await call(handler, '/signup', { body }), 409, 'already-exists');
    assert.equal(await userExists(first.userId), true);
    emulatorAheadMs += 5 * 60_000 + 1_000;
    await expectEmailFree(handler, body, first.userId);
  });

  test('denied (the passkey response failed verification): the next sign-up succeeds', async () => {
    const handler = proxy();
    const body = signupBody();
    const first = await startSignup(handler, body);
    assert.equal(first.kind, 'registration');
    const lie = await new SoftAuthenticator({ origin: ORIGIN }).register(first.options, { origin: 'https://evil.example' });
    const denied = await call(handler, `/tx/${first.tx}/verify`, { body: lie });
    const { error } = await expectError(denied, 400, 'tx-denied');
    assert.equal(isRetryable(error.code), true, 'the element says try again, and now it can');
    await expectEmailFree(handler, body, first.userId);
  });

  test('the proxy restarted in between (a fresh instance, a fresh store): the mark at SendAuth still frees the email', async () => {
    const body = signupBody();
    const first = await startSignup(proxy(), body);
    await client.cancelTransaction(first.tx); // the old instance is gone; the TX ended anyway
    await expectEmailFree(proxy(), body, first.userId);
  });

  test('SendAuth went down between creating the user and its ceremony (and the clean-up failed): freed once it is back', async () => {
    const clock = { at: Date.now() + emulatorAheadMs }; // the proxy's clock, in step with SendAuth's
    /** SendAuth answers createUser and setUserTags, then goes down. */
    class FailingSendAuth extends SendAuthClient {
      override async registerUser(): Promise<never> {
        throw new SendAuthError({ operation: 'registerUser', status: 0, code: 'upstream', message: 'SendAuth is down' });
      }
      override async deleteUser(): Promise<never> {
        throw new SendAuthError({ operation: 'deleteUser', status: 0, code: 'upstream', message: 'SendAuth is down' });
      }
    }
    const failing = new FailingSendAuth({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD });
    const body = signupBody();
    const { error } = await expectError(await call(proxy({ sendauth: failing }), '/signup', { body }), 502, 'upstream');
    assert.equal(isRetryable(error.code), true);
    const [left] = (await client.listUsers({ q: body.email })).rows;
    assert.ok(left?.id, 'the clean-up could not remove the user');

    // SendAuth is back. Within a minute of its creation, a user with no TX may still be another sign-up's.
    const handler = proxy({ now: () => clock.at });
    await expectError(await call(handler, '/signup', { body }), 409, 'already-exists');
    clock.at += SIGNUP_SETUP_GRACE_MS + 1_000;
    await expectEmailFree(handler, body, left.id);
  });

  test('the TX options could not be fetched (the TX is cancelled and the user removed at once)', async () => {
    class NoOptions extends SendAuthClient {
      override async getCeremony(): Promise<never> {
        throw new SendAuthError({ operation: 'getCeremony', status: 503, code: 'upstream', message: 'SendAuth is busy' });
      }
    }
    const body = signupBody();
    const sendauth = new NoOptions({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD });
    await expectError(await call(proxy({ sendauth }), '/signup', { body }), 502, 'upstream');
    assert.equal((await client.listUsers({ q: body.email })).total, 0);
    const handler = proxy();
    const again = await startSignup(handler, body);
    assert.equal((await finish(handler, again)).status, 200);
  });
});

describe('what a sign-up never removes or takes over', () => {
  test('an administrator-made user without a passkey stays, and sign-up still answers already-exists', async () => {
    const handler = proxy();
    const email = `admin-made-${randomUUID()}@example.test`;
    const admin = await client.createUser({ firstName: 'Grace', lastName: 'Hopper', email });
    assert.ok(admin.id);
    await client.setUserTags(admin.id, { tags: { team: 'ops' } }); // tags, but not this proxy's mark
    const tx = await client.registerUser(admin.id); // an enrolment the administrator started, then cancelled
    await client.cancelTransaction(tx.tx);
    emulatorAheadMs += SIGNUP_SETUP_GRACE_MS;

    const { error } = await expectError(await call(handler, '/signup', { body: signupBody(email.toUpperCase()) }), 409, 'already-exists');
    assert.equal(isRetryable(error.code), false);
    assert.equal(await userExists(admin.id), true);
  });

  test('a finished sign-up whose user later removed the passkey stays (the mark is cleared on verification)', async () => {
    const handler = proxy();
    const body = signupBody();
    const first = await startSignup(handler, body);
    assert.equal((await finish(handler, first)).status, 200);
    const tagAudits = (await client.getUserAudits(first.userId, { perPage: 100 })).rows.filter((a) => a.action === 'tags');
    assert.deepEqual(
      tagAudits.map((audit) => audit.extras?.[SIGNUP_TAG] ?? 'cleared'),
      ['cleared', 'pending'],
      'marked at creation, cleared on verification (newest first)',
    );
    await client.removeUserPasskey(first.userId);
    await expectError(await call(handler, '/signup', { body }), 409, 'already-exists');
    assert.equal(await userExists(first.userId), true);
  });

  test('a finished sign-up whose mark could not be cleared stays too: a verified TX is enough', async () => {
    class NoTagClearing extends SendAuthClient {
      override async setUserTags(userId: string, request: { tags?: Record<string, string> }): Promise<void> {
        if (Object.keys(request.tags ?? {}).length === 0) {
          throw new SendAuthError({ operation: 'setUserTags', status: 0, code: 'upstream', message: 'SendAuth is down' });
        }
        return super.setUserTags(userId, request);
      }
    }
    const errors: unknown[] = [];
    const sendauth = new NoTagClearing({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD });
    const handler = proxy({ sendauth, onError: (error) => errors.push(error) });
    const body = signupBody();
    const first = await startSignup(handler, body);
    assert.equal((await finish(handler, first)).status, 200, 'the visitor is signed up all the same');
    assert.equal(errors.length, 1, 'the failed clean-up is reported');
    await client.removeUserPasskey(first.userId);
    await expectError(await call(proxy(), '/signup', { body }), 409, 'already-exists');
    assert.equal(await userExists(first.userId), true);
  });

  test('two sign-ups for one email at the same moment: one goes ahead, the other is already-exists, and the first is not stolen', async () => {
    const handler = proxy();
    const body = signupBody();
    const answers = await Promise.all([call(handler, '/signup', { body }), call(handler, '/signup', { body })]);
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [201, 409]);
    const winner = answers.find((answer) => answer.status === 201)!;
    const loser = answers.find((answer) => answer.status === 409)!;
    await expectError(loser, 409, 'already-exists');
    const start = await expectStart(winner, 'registration');
    assert.equal((await finish(handler, start)).status, 200);
    assert.equal((await client.listUsers({ q: body.email })).total, 1);
  });

  test('two proxy instances without a shared store: a sign-up in its ceremony on one is not taken over by the other', async () => {
    const body = signupBody();
    const a = proxy();
    const b = proxy();
    const first = await startSignup(a, body);
    await expectError(await call(b, '/signup', { body }), 409, 'already-exists');
    assert.equal((await finish(a, first)).status, 200, 'the first visitor finishes their sign-up');
  });
});
