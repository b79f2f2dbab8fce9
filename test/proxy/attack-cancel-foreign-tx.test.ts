/**
 * Attack: cancel someone else's TX knowing only its id. The id is no secret: it is in the
 * person's notification link (`/respond/{tx}?secret=…`), in SendAuth's audit trail, in logs.
 * `DELETE tx/{tx}` used to cancel any TX this proxy started for whoever sent the id, so a
 * stranger could end another visitor's sign-in, sign-up or step-up mid-way (every mode, every
 * flow), and spend the TX's budget of SendAuth calls while at it.
 *
 * Now every start answers a `proof` (both modes) that only the starting browser gets, and
 * `DELETE` needs it (and, for `register` and a step-up, the starting session too), as `complete`
 * always did. A refused cancel reaches SendAuth not at all, and the starter's TX goes on.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { StartAnswer } from '../../src/wire.js';
import { approveOnDevice } from '../support/approve-on-device.js';
import { attackedSite, type AttackedSite } from '../support/attack-site.js';
import { apiClient, createUser, createUserWithPasskey, expectError, readJson, SESSION_HEADER, startTestEmulator } from '../support/proxy-fixture.js';

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

async function start(path: string, body: object, headers: Record<string, string> = {}): Promise<StartAnswer> {
  const response = await site.send(path, { body, headers });
  const answer = await readJson<StartAnswer>(response);
  assert.equal(response.status, 201, JSON.stringify(answer));
  assert.match(answer.proof, /^[A-Za-z0-9_-]{43}$/, 'every start answers a 256-bit proof');
  return answer;
}

const stateAtSendAuth = async (tx: string): Promise<string> => (await apiClient(emu).checkTransaction(tx)).state;

/** Every way a stranger holding the TX id can ask to cancel it: no body, an empty one, someone else's proof, a guessed one. */
async function strangerCancels(tx: string, otherProof: string, headers: Record<string, string> = {}): Promise<void> {
  site.requests.length = 0;
  await expectError(await site.send(`tx/${tx}`, { method: 'DELETE', headers }), 400, 'invalid-request');
  await expectError(await site.send(`tx/${tx}`, { method: 'DELETE', body: {}, headers }), 400, 'invalid-request');
  await expectError(await site.send(`tx/${tx}`, { method: 'DELETE', body: { proof: otherProof }, headers }), 403, 'forbidden');
  for (let i = 0; i < 15; i++) {
    await expectError(await site.send(`tx/${tx}`, { method: 'DELETE', body: { proof: 'A'.repeat(43) }, headers }), 403, 'forbidden');
  }
  assert.deepEqual(site.requests, [], 'a refused cancel costs SendAuth nothing');
  assert.equal(await stateAtSendAuth(tx), 'pending');
  assert.deepEqual(await readJson(await site.send(`tx/${tx}`)), { state: 'pending' });
}

test('an approval-mode sign-in: a stranger cannot cancel it; the starter still completes it', async () => {
  const user = await createUserWithPasskey(apiClient(emu));
  const victim = await start('authenticate', { username: user.email, mode: 'approval' });
  const attacker = await start('authenticate', { username: user.email, mode: 'approval' });
  await strangerCancels(victim.tx, attacker.proof);
  await approveOnDevice(emu, victim.tx, user.authenticator);
  const done = await site.send(`tx/${victim.tx}/complete`, { body: { proof: victim.proof } });
  assert.deepEqual(await readJson(done), { state: 'verified', kind: 'authentication', userId: user.id });
});

test('an in-browser (webauthn) sign-in: a stranger cannot cancel it; the starter can, with its proof', async () => {
  const user = await createUserWithPasskey(apiClient(emu));
  const victim = await start('authenticate', { username: user.email });
  assert.equal(victim.mode, 'webauthn');
  const attacker = await start('authenticate', { username: user.email });
  await strangerCancels(victim.tx, attacker.proof);
  const cancelled = await site.send(`tx/${victim.tx}`, { method: 'DELETE', body: { proof: victim.proof } });
  assert.deepEqual(await readJson(cancelled), { state: 'cancelled' });
  assert.equal(await stateAtSendAuth(victim.tx), 'cancelled');
});

test('a sign-up in progress: a stranger cannot cancel it (so cannot free its email for a take-over)', async () => {
  const victim = await start('signup', { email: `victim-${crypto.randomUUID()}@example.test`, firstName: 'Vic', lastName: 'Tim' });
  const attacker = await start('signup', { email: `attacker-${crypto.randomUUID()}@example.test`, firstName: 'Mal', lastName: 'Lory' });
  await strangerCancels(victim.tx, attacker.proof);
});

test('a passkey enrolment (register) and a step-up: the proof alone is not enough from another session', async () => {
  const user = await createUser(apiClient(emu));
  const other = await createUser(apiClient(emu));
  const mine = { [SESSION_HEADER]: user.id };
  const theirs = { [SESSION_HEADER]: other.id };
  const enrol = await start('register', {}, mine);
  const attacker = await start('register', {}, theirs);
  await strangerCancels(enrol.tx, attacker.proof, theirs);
  await expectError(await site.send(`tx/${enrol.tx}`, { method: 'DELETE', body: { proof: enrol.proof }, headers: theirs }), 403, 'forbidden');
  await expectError(await site.send(`tx/${enrol.tx}`, { method: 'DELETE', body: { proof: enrol.proof } }), 403, 'forbidden');
  assert.equal(await stateAtSendAuth(enrol.tx), 'pending');
  assert.deepEqual(await readJson(await site.send(`tx/${enrol.tx}`, { method: 'DELETE', body: { proof: enrol.proof }, headers: mine })), {
    state: 'cancelled',
  });

  const holder = await createUserWithPasskey(apiClient(emu));
  const stepUp = await start('approve', { message: 'Pay €120 to Acme' }, { [SESSION_HEADER]: holder.id });
  await expectError(await site.send(`tx/${stepUp.tx}`, { method: 'DELETE', body: { proof: stepUp.proof }, headers: theirs }), 403, 'forbidden');
  assert.equal(await stateAtSendAuth(stepUp.tx), 'pending');
});

test('nothing of it was reported as a failure, and nothing was signed in', () => {
  assert.deepEqual(site.errors, []);
  assert.equal(site.verified.length, 1, 'only the starter’s own completion');
});
