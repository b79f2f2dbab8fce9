/**
 * Three proxy processes sharing one Redis behind a round-robin forwarder, as
 * a site runs them behind a load balancer (`test/support/proxy-instances.ts`):
 * a TX started on one is verified on another, the per-user rate limit counts
 * across all three, and twenty concurrent verifies of one TX give one sign-in,
 * mixed with what a stranger can send or not.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import type { SendAuthClient } from '../../src/api/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { CeremonyStart, VerifyResult } from '../../src/wire.js';
import { createUserWithPasskey, expectError, expectStart, ORIGIN, readJson, SoftAuthenticator } from '../support/proxy-fixture.js';
import type { ProxyInstances } from '../support/proxy-instances.js';
import { startRedisProxyStack, type RedisProxyStack } from '../support/redis-proxy-stack.js';
import { keysWithoutTtl, type RedisServer } from '../support/redis-server.js';

const LIMIT = 4;
let redisServer: RedisServer;
let emulator: RunningEmulator;
let sendauth: SendAuthClient;
let proxies: ProxyInstances;
let stack: RedisProxyStack | undefined;

before(async () => {
  stack = await startRedisProxyStack({ options: { allowedOrigins: [ORIGIN], rateLimit: { limit: LIMIT, windowMs: 60_000 } } });
  ({ redisServer, emulator, sendauth, proxies } = stack);
});
after(() => stack?.close());

/** Each request from the next visitor IP, unless told: only the per-user limit can refuse them. */
let visitor = 0;
const post = (body: unknown, clientIp = `198.51.100.${(visitor++ % 250) + 1}`): RequestInit & { clientIp: string } => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: ORIGIN },
  body: JSON.stringify(body),
  clientIp,
});
const servedBy = (response: Response): number => Number(response.headers.get('x-served-by'));

test('a TX started on one instance is verified on another, and its state read on the third', async () => {
  const user = await createUserWithPasskey(sendauth);
  const startAnswer = await proxies.fetch('/sendauth/authenticate', post({ username: user.email }));
  const start = await expectStart(startAnswer, 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const response = await user.authenticator.authenticate(start.options, { origin: ORIGIN });

  const verify = await proxies.fetch(`/sendauth/tx/${start.tx}/verify`, post(response));
  assert.notEqual(servedBy(verify), servedBy(startAnswer), 'the forwarder sent the verify to another instance');
  assert.equal(verify.status, 200, await verify.clone().text());
  assert.deepEqual(await readJson<VerifyResult>(verify), { state: 'verified', kind: 'authentication', userId: user.id });

  const status = await proxies.fetch(`/sendauth/tx/${start.tx}`, { clientIp: '198.51.100.7' });
  assert.ok(![servedBy(startAnswer), servedBy(verify)].includes(servedBy(status)), 'the third instance');
  assert.deepEqual(await readJson(status), { state: 'verified' });

  const verified = (await proxies.events('verified')).filter((event) => event.tx === start.tx);
  assert.deepEqual(verified.map(({ index, userId }) => ({ index, userId })), [{ index: servedBy(verify), userId: user.id }]);
});

test('the per-user rate limit counts starts on all three instances together', async () => {
  const user = await createUserWithPasskey(sendauth);
  const answers: Response[] = [];
  // Each start from another IP, so only the per-user limit can refuse them.
  for (let i = 0; i < LIMIT + 2; i += 1) answers.push(await proxies.fetch('/sendauth/authenticate', post({ username: user.email })));
  assert.deepEqual(new Set(answers.map(servedBy)), new Set([0, 1, 2]), 'every instance served some');
  for (const answer of answers.slice(0, LIMIT)) await expectStart(answer, 'authentication');
  for (const answer of answers.slice(LIMIT)) {
    await expectError(answer, 429, 'rate-limited');
    assert.match(answer.headers.get('retry-after') ?? '', /^\d+$/);
  }
  assert.equal((await sendauth.getUserTransactions(user.id)).total, 1 + LIMIT, 'SendAuth saw the enrolment and LIMIT starts, no more');
});

test('twenty concurrent verifies of one TX, spread over the three: one sign-in, nineteen replays, one onVerified', async () => {
  const user = await createUserWithPasskey(sendauth);
  const start: CeremonyStart = await expectStart(await proxies.fetch('/sendauth/authenticate', post({ username: user.email })), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const response = await user.authenticator.authenticate(start.options, { origin: ORIGIN });

  const answers = await Promise.all(Array.from({ length: 20 }, () => proxies.fetch(`/sendauth/tx/${start.tx}/verify`, post(response))));
  assert.deepEqual(new Set(answers.map(servedBy)), new Set([0, 1, 2]));
  const ok = answers.filter((answer) => answer.status === 200);
  assert.equal(ok.length, 1, `statuses: ${answers.map((answer) => answer.status).join(' ')}`);
  assert.deepEqual(await readJson(ok[0]!), { state: 'verified', kind: 'authentication', userId: user.id });
  for (const answer of answers.filter((a) => a.status !== 200)) await expectError(answer, 409, 'replayed');

  const verified = (await proxies.events('verified')).filter((event) => event.tx === start.tx);
  assert.equal(verified.length, 1, 'onVerified ran once, in one process');
  assert.equal(verified[0]!.index, servedBy(ok[0]!));
});

test('twenty concurrent verifies of one TX mixed with bodies a stranger can send (another challenge, the other kind, no WebAuthn response): one sign-in, and replays after the marker and the binding are gone are refused', async () => {
  const user = await createUserWithPasskey(sendauth);
  const start = await expectStart(await proxies.fetch('/sendauth/authenticate', post({ username: user.email })), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const valid = await user.authenticator.authenticate(start.options, { origin: ORIGIN });
  const otherChallenge = await user.authenticator.authenticate({ ...start.options, challenge: Buffer.from('made for another TX').toString('base64url') }, { origin: ORIGIN });
  // The other kind, even with this TX's own challenge.
  const attestation = await new SoftAuthenticator({ origin: ORIGIN }).register({
    rp: { name: 'Site' },
    user: { id: 'dXNlcg', name: user.email, displayName: user.email },
    challenge: start.options.challenge,
    pubKeyCredParams: [{ alg: -7, type: 'public-key' }],
  });
  const kinds = ['valid', 'other-challenge', 'other-kind', 'not-webauthn'] as const;
  const bodyOf = { valid, 'other-challenge': otherChallenge, 'other-kind': attestation, 'not-webauthn': { id: 'A', type: 'public-key' } };
  const sent = Array.from({ length: 20 }, (_, i) => kinds[i % kinds.length]!);
  const answers = await Promise.all(sent.map((kind) => proxies.fetch(`/sendauth/tx/${start.tx}/verify`, post(bodyOf[kind]))));
  assert.deepEqual(new Set(answers.map(servedBy)), new Set([0, 1, 2]));

  const byKind = (kind: (typeof kinds)[number]) => answers.filter((_, i) => sent[i] === kind);
  const ok = answers.filter((answer) => answer.status === 200);
  assert.equal(ok.length, 1, `statuses: ${answers.map((answer) => answer.status).join(' ')}`);
  assert.ok(byKind('valid').includes(ok[0]!), 'the sign-in is a valid response');
  for (const answer of byKind('valid').filter((a) => a !== ok[0])) await expectError(answer, 409, 'replayed');
  for (const kind of ['other-challenge', 'other-kind', 'not-webauthn'] as const) {
    for (const answer of byKind(kind)) await expectError(answer, 400, 'invalid-request');
  }
  assert.equal((await proxies.events('verified')).filter((event) => event.tx === start.tx).length, 1, 'one onVerified');

  const client = await createClient({ url: redisServer.url }).on('error', () => undefined).connect();
  try {
    assert.equal(await client.get(`sendauth:attempts:{${start.tx}}`), '1', 'only the request that claimed the TX spent its budget');
    // The marker gone (as if expired): the binding still says verified.
    await client.del(`sendauth:verifying:{${start.tx}}`);
    await expectError(await proxies.fetch(`/sendauth/tx/${start.tx}/verify`, post(valid)), 409, 'replayed');
    // The binding gone too (past its TX's life and margin): the TX is unknown, and nothing is taken.
    await client.del(`sendauth:tx:{${start.tx}}`);
    await expectError(await proxies.fetch(`/sendauth/tx/${start.tx}/verify`, post(valid)), 404, 'tx-not-found');
    assert.equal(await client.exists(`sendauth:verifying:{${start.tx}}`), 0);
  } finally {
    client.destroy();
  }
  assert.equal((await proxies.events('verified')).filter((event) => event.tx === start.tx).length, 1);
});

test('after all of it: no instance crashed or reported an error, and every key in Redis has a TTL', async () => {
  assert.deepEqual(proxies.exited(), []);
  assert.deepEqual(await proxies.events('error'), []);
  const client = await createClient({ url: redisServer.url }).on('error', () => undefined).connect();
  try {
    const { keys, withoutTtl } = await keysWithoutTtl(client);
    assert.ok(keys.some((key) => key.startsWith('sendauth:tx:')) && keys.some((key) => key.startsWith('sendauth:rate:')), keys.join(' '));
    assert.deepEqual(withoutTtl, []);
  } finally {
    client.destroy();
  }
});
