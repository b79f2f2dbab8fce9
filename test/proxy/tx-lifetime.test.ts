/**
 * The proxy's TX binding lives as long as the TX itself (its `expiresAt`) and
 * a minute more (issue 10 §6): with a SendAuth whose TXs last 15 minutes, a
 * still-pending TX verifies after the old fixed 6-minute limit would have
 * forgotten it. One injected clock for the emulator and the proxy; no sleeping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSendAuthProxy } from '../../src/proxy/index.js';
import { apiClient, call, createUserWithPasskey, expectError, expectStart, manualClock, readJson, startTestEmulator } from '../support/proxy-fixture.js';

const MINUTE = 60_000;

test('an emulator with txTtlMs of 15 minutes: a pending TX verifies after 7 minutes, and is gone after 16', async () => {
  const clock = manualClock();
  const emu = await startTestEmulator({ txTtlMs: 15 * MINUTE, now: clock.now });
  try {
    const client = apiClient(emu);
    const errors: unknown[] = [];
    const handler = createSendAuthProxy({ sendauth: client, now: clock.now, onError: (error) => errors.push(error) });
    const user = await createUserWithPasskey(client);

    const early = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    const late = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
    if (early.kind !== 'authentication' || late.kind !== 'authentication') throw new Error('unreachable');

    clock.advance(7 * MINUTE); // past the old fixed 6 minutes
    assert.equal((await client.checkTransaction(early.tx)).state, 'pending');
    const status = await call(handler, `/tx/${early.tx}`);
    assert.deepEqual(await readJson(status), { state: 'pending' });
    const verified = await call(handler, `/tx/${early.tx}/verify`, { body: await user.authenticator.authenticate(early.options) });
    assert.deepEqual(await readJson(verified), { state: 'verified', kind: 'authentication', userId: user.id });

    clock.advance(9 * MINUTE); // 16 minutes: the TX expired at 15, its binding a minute later
    const response = await user.authenticator.authenticate(late.options);
    await expectError(await call(handler, `/tx/${late.tx}/verify`, { body: response }), 404, 'tx-not-found');
    assert.deepEqual(errors, []);
  } finally {
    await emu.close();
  }
});
