/** Transaction check and cancel, and lazy expiry through the injected clock. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { PaginatedAudits } from '../../src/types.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator-fixture.js';
import { assertJsonError, createUser, txState } from './helpers.js';

let t: TestEmulator;
const TTL = 60_000;
before(async () => {
  t = await startTestEmulator({ txTtlMs: TTL });
});
after(() => t.close());

async function newTx(): Promise<{ tx: string; userId: string }> {
  const user = await createUser(t);
  const res = await t.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`);
  assert.equal(res.status, 201);
  return { tx: res.body.tx, userId: user.id };
}

describe('check', () => {
  it('answers 200 {state} for a known TX, 404 for an unknown one, 400 for a bad id', async () => {
    const { tx } = await newTx();
    const res = await t.request('GET', `/api/v1/transactions/${tx}/check`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { state: 'pending' });
    assertJsonError(await t.request('GET', `/api/v1/transactions/${randomUUID()}/check`), 404);
    assertJsonError(await t.request('GET', '/api/v1/transactions/123/check'), 400);
  });

  it('reads a pending TX as expired once the clock passes expiresAt (txTtlMs), and only then', async () => {
    const { tx } = await newTx();
    t.clock.advance(TTL - 1);
    assert.equal(await txState(t, tx), 'pending');
    t.clock.advance(1);
    assert.equal(await txState(t, tx), 'expired');
  });
});

describe('cancel', () => {
  it('cancels a pending TX (200 {state:"cancelled"}) and records it', async () => {
    const { tx, userId } = await newTx();
    const res = await t.request('DELETE', `/api/v1/transactions/${tx}/cancel`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { state: 'cancelled' });
    assert.equal(await txState(t, tx), 'cancelled');
    const audits = await t.request<PaginatedAudits>('GET', `/api/v1/users/${userId}/audits?q=cancelled`);
    assert.equal(audits.body.rows[0]?.extras?.tx, tx);
  });

  it('answers 400 (with the state) for a TX that is not pending: cancelled or expired', async () => {
    const { tx } = await newTx();
    await t.request('DELETE', `/api/v1/transactions/${tx}/cancel`);
    const again = assertJsonError(await t.request('DELETE', `/api/v1/transactions/${tx}/cancel`), 400);
    assert.equal(again.state, 'cancelled');

    const expiring = await newTx();
    t.clock.advance(TTL);
    const expired = assertJsonError(await t.request('DELETE', `/api/v1/transactions/${expiring.tx}/cancel`), 400);
    assert.equal(expired.state, 'expired');
    assert.equal(await txState(t, expiring.tx), 'expired', 'a refused cancel changes nothing');
  });

  it('answers 404 for an unknown TX, 400 for a bad id, 405 for another method', async () => {
    assertJsonError(await t.request('DELETE', `/api/v1/transactions/${randomUUID()}/cancel`), 404);
    assertJsonError(await t.request('DELETE', '/api/v1/transactions/nope/cancel'), 400);
    const res = assertJsonError(await t.request('POST', `/api/v1/transactions/${randomUUID()}/cancel`), 405);
    assert.ok(res.error.includes('DELETE'));
  });
});
