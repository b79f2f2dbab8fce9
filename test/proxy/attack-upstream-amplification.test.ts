/**
 * Attack: one visitor, one TX of their own, and a loop. Starts are rate
 * limited, but every request about a started TX used to reach SendAuth:
 * `GET tx/{tx}` asked `check` each time, `complete` (with the visitor's own
 * proof) asked `check` each time, `DELETE` of a TX that is no longer pending
 * asked `cancel` and `check` each time, and `verify` forwarded every body to
 * the ceremony endpoint. So a single visitor could spend the site's SendAuth
 * quota at will; once SendAuth rate limits the site, every sign-in answers 503
 * `upstream` and `onError` fills with upstream alarms a visitor caused.
 *
 * Now a TX costs SendAuth a bounded number of calls however often it is asked
 * about: `GET tx/{tx}` reads the state through the follower (one `check` per
 * poll interval and TX, as `?wait` always did, and none once this proxy knows
 * the TX verified or cancelled), and the requests that must ask SendAuth
 * themselves (`verify`, `complete`, `cancel`) share a small budget per TX,
 * past which they answer 429 `rate-limited`, reported nowhere.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TX_ATTEMPTS_MAX } from '../../src/proxy/http.js';
import type { StartAnswer } from '../../src/wire.js';
import { approveOnDevice, denyOnDevice } from '../support/approve-on-device.js';
import { attackedSite, type AttackedSite } from '../support/attack-site.js';
import { apiClient, createUserWithPasskey, expectError, readJson, startTestEmulator } from '../support/proxy-fixture.js';

const HAMMER = 40;
const INTERVAL_MS = 60_000; // one poll interval spans the whole test: at most one `check` per TX through the follower

let emu: RunningEmulator;
let site: AttackedSite;
before(async () => {
  emu = await startTestEmulator();
  site = await attackedSite(emu, { approval: { pollIntervalMs: INTERVAL_MS } });
});
after(async () => {
  await site.close();
  await emu.close();
});

async function start(body: object): Promise<StartAnswer> {
  const response = await site.send('authenticate', { body });
  const answer = await readJson<StartAnswer>(response);
  assert.equal(response.status, 201, JSON.stringify(answer));
  return answer;
}

async function hammer(send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < HAMMER; i++) {
    const response = await send();
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

test(`GET tx/{tx} ${HAMMER} times: at most one check per poll interval, and the answer stays right`, async () => {
  const user = await createUserWithPasskey(apiClient(emu));
  const tx = (await start({ username: user.email, mode: 'approval' })).tx;
  site.requests.length = 0;
  const statuses = await hammer(() => site.send(`tx/${tx}`));
  assert.deepEqual([...new Set(statuses)], [200]);
  assert.ok(site.count('/check') <= 1, `${site.count('/check')} checks for ${HAMMER} GETs`);
  assert.deepEqual(await readJson(await site.send(`tx/${tx}`)), { state: 'pending' });
});

test(`complete ${HAMMER} times with the visitor’s own proof: the check is asked at most ${TX_ATTEMPTS_MAX} times, then 429`, async () => {
  const user = await createUserWithPasskey(apiClient(emu));
  const started = await start({ username: user.email, mode: 'approval' });
  if (started.mode !== 'approval') throw new Error('unreachable');
  site.requests.length = 0;
  const statuses = await hammer(() => site.send(`tx/${started.tx}/complete`, { body: { proof: started.proof } }));
  assert.ok(site.requests.length <= TX_ATTEMPTS_MAX, `${site.requests.length} SendAuth calls for ${HAMMER} completes`);
  assert.deepEqual(statuses.slice(0, TX_ATTEMPTS_MAX), Array(TX_ATTEMPTS_MAX).fill(409), 'pending: not approved yet');
  assert.deepEqual([...new Set(statuses.slice(TX_ATTEMPTS_MAX))], [429]);
  const refused = await site.send(`tx/${started.tx}/complete`, { body: { proof: started.proof } });
  assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After says when');
  await expectError(refused, 429, 'rate-limited');
  // Without the proof nothing reaches SendAuth, so a stranger cannot spend the starter's budget.
  site.requests.length = 0;
  await expectError(await site.send(`tx/${started.tx}/complete`, { body: { proof: 'A'.repeat(43) } }), 403, 'forbidden');
  assert.equal(site.requests.length, 0);
});

test(`DELETE ${HAMMER} times of a TX the person denied: at most ${TX_ATTEMPTS_MAX} cancels and one check reach SendAuth`, async () => {
  const user = await createUserWithPasskey(apiClient(emu));
  const { tx, proof } = await start({ username: user.email, mode: 'approval' });
  await denyOnDevice(emu, tx);
  site.requests.length = 0;
  const statuses = await hammer(() => site.send(`tx/${tx}`, { method: 'DELETE', body: { proof } }));
  assert.ok(site.count('/cancel') <= TX_ATTEMPTS_MAX && site.count('/check') <= 1, `${site.requests.join(', ')} for ${HAMMER} cancels`);
  assert.equal(statuses[0], 409, 'a denied TX cannot be cancelled');
  assert.equal(statuses.at(-1), 429);
});

test(`verify ${HAMMER} times with well-formed but false WebAuthn responses: at most ${TX_ATTEMPTS_MAX} reach SendAuth`, async () => {
  const user = await createUserWithPasskey(apiClient(emu));
  const started = await start({ username: user.email });
  if (started.mode !== 'webauthn') throw new Error('unreachable');
  // The visitor's own TX: its challenge is known to them, so the forgeries get past the proxy's challenge check.
  const clientData = { type: 'webauthn.get', challenge: started.options.challenge, origin: site.origin };
  const forged = {
    id: 'AAAA',
    rawId: 'AAAA',
    type: 'public-key',
    response: { clientDataJSON: Buffer.from(JSON.stringify(clientData)).toString('base64url'), authenticatorData: 'AAAA', signature: 'AAAA' },
    clientExtensionResults: {},
  };
  site.requests.length = 0;
  const statuses = await hammer(() => site.send(`tx/${started.tx}/verify`, { body: forged }));
  assert.ok(site.requests.length <= TX_ATTEMPTS_MAX * 2, `${site.requests.length} SendAuth calls for ${HAMMER} verifies`);
  assert.equal(statuses.at(-1), 429);
  assert.equal(site.verified.length, 0);
});

test('none of it raised an upstream alarm, and the proxy still serves a real approval at once', async () => {
  assert.deepEqual(site.errors, [], 'onError heard nothing: a visitor’s loop is not an upstream failure');
  const user = await createUserWithPasskey(apiClient(emu));
  const started = await start({ username: user.email, mode: 'approval' });
  if (started.mode !== 'approval') throw new Error('unreachable');
  await approveOnDevice(emu, started.tx, user.authenticator);
  const done = await site.send(`tx/${started.tx}/complete`, { body: { proof: started.proof } });
  assert.deepEqual(await readJson(done), { state: 'verified', kind: 'authentication', userId: user.id });
  // This proxy knows it verified: GET answers so without asking SendAuth.
  site.requests.length = 0;
  assert.deepEqual(await readJson(await site.send(`tx/${started.tx}`)), { state: 'verified' });
  assert.equal(site.requests.length, 0);
});
