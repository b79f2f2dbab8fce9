/**
 * Attack: block someone else's in-browser sign-in knowing only its TX id (it is in the person's
 * notification link). `verify` used to take any well-formed WebAuthn response for any TX this
 * proxy started: a stranger's forgeries (or their own genuine assertion, made for their own TX)
 * each cost SendAuth a verification, spent the TX's budget of SendAuth calls (10) so the real
 * visitor's verify was refused 429, and, while one was in flight, held the TX's verify marker so
 * the real one was refused as `replayed`.
 *
 * Now the proxy keeps the SHA-256 of the challenge its starter got, and `verify` forwards a
 * response only when its `clientDataJSON` carries that challenge: anything else is a 400
 * `invalid-request` that reaches SendAuth not at all and leaves the TX to its starter.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TX_ATTEMPTS_MAX } from '../../src/proxy/http.js';
import type { CeremonyStart, StartAnswer } from '../../src/wire.js';
import { attackedSite, type AttackedSite } from '../support/attack-site.js';
import { apiClient, createUserWithPasskey, expectError, ORIGIN, readJson, SoftAuthenticator, startTestEmulator } from '../support/proxy-fixture.js';

let emu: RunningEmulator;
let site: AttackedSite;
before(async () => {
  emu = await startTestEmulator();
  site = await attackedSite(emu, { allowSignup: true });
});
after(async () => {
  await site.close();
  await emu.close();
});

async function start(path: string, body: object): Promise<CeremonyStart> {
  const response = await site.send(path, { body });
  const answer = await readJson<StartAnswer>(response);
  assert.equal(response.status, 201, JSON.stringify(answer));
  if (answer.mode !== 'webauthn') throw new Error('expected an in-browser ceremony');
  return answer;
}

const clientData = (type: string, challenge: string): string =>
  Buffer.from(JSON.stringify({ type, challenge, origin: ORIGIN })).toString('base64url');

test(`a stranger's ${TX_ATTEMPTS_MAX * 3} verifies of someone else's sign-in reach nothing; the person then signs in`, async () => {
  const victim = await createUserWithPasskey(apiClient(emu));
  const mallory = await createUserWithPasskey(apiClient(emu), 'Mallory');
  const theirs = await start('authenticate', { username: victim.email });
  const mine = await start('authenticate', { username: mallory.email });
  if (theirs.kind !== 'authentication' || mine.kind !== 'authentication') throw new Error('unreachable');
  // Genuine, signed by a real passkey, but for the attacker's own TX; then forgeries of every kind.
  const genuine = await mallory.authenticator.authenticate(mine.options);
  const forged = (clientDataJSON: string) => ({
    id: 'AAAA',
    rawId: 'AAAA',
    type: 'public-key',
    response: { clientDataJSON, authenticatorData: 'AAAA', signature: 'AAAA' },
  });
  const bodies = [
    genuine,
    forged('AAAA'),
    forged(clientData('webauthn.get', 'A'.repeat(43))),
    forged(clientData('webauthn.get', mine.options.challenge)),
    forged(Buffer.from('{"challenge":7}').toString('base64url')),
    forged(Buffer.from('null').toString('base64url')),
  ];
  site.requests.length = 0;
  for (let i = 0; i < TX_ATTEMPTS_MAX * 3; i++) {
    await expectError(await site.send(`tx/${theirs.tx}/verify`, { body: bodies[i % bodies.length] }), 400, 'invalid-request');
  }
  // Concurrently with the person's own verify: none of them is taken for it, none makes it a replay.
  const [real] = await Promise.all([
    site.send(`tx/${theirs.tx}/verify`, { body: await victim.authenticator.authenticate(theirs.options) }),
    ...bodies.map((body) => site.send(`tx/${theirs.tx}/verify`, { body })),
  ]);
  assert.deepEqual(await readJson(real), { state: 'verified', kind: 'authentication', userId: victim.id });
  assert.deepEqual(
    site.requests.filter((request) => request.includes('/webauthn')),
    ['POST /api/v1/transactions/:id/webauthn'],
    'only the person’s own response reached SendAuth',
  );
  // The attacker's own TX is untouched by all that, and still theirs to use.
  const own = await site.send(`tx/${mine.tx}/verify`, { body: genuine });
  assert.deepEqual(await readJson(own), { state: 'verified', kind: 'authentication', userId: mallory.id });
});

test('a sign-up in progress: a stranger’s attestation (their own passkey, their own TX) cannot finish or block it', async () => {
  const email = (who: string) => `${who}-${crypto.randomUUID()}@example.test`;
  const theirs = await start('signup', { email: email('victim'), firstName: 'Vic', lastName: 'Tim' });
  const mine = await start('signup', { email: email('mallory'), firstName: 'Mal', lastName: 'Lory' });
  if (theirs.kind !== 'registration' || mine.kind !== 'registration') throw new Error('unreachable');
  const attacker = new SoftAuthenticator({ origin: ORIGIN });
  const attestation = await attacker.register(mine.options);
  site.requests.length = 0;
  for (let i = 0; i < TX_ATTEMPTS_MAX + 2; i++) {
    await expectError(await site.send(`tx/${theirs.tx}/verify`, { body: attestation }), 400, 'invalid-request');
  }
  assert.deepEqual(site.requests, []);
  assert.equal((await apiClient(emu).checkTransaction(theirs.tx)).state, 'pending');
  const person = new SoftAuthenticator({ origin: ORIGIN });
  const done = await site.send(`tx/${theirs.tx}/verify`, { body: await person.register(theirs.options) });
  assert.equal(done.status, 200, await done.clone().text());
  assert.equal(((await readJson<{ state: string }>(done)).state), 'verified');
});

test('nothing of it was reported as a failure', () => {
  assert.deepEqual(site.errors, []);
});
