/**
 * Security rule: SendAuth's word, not the browser's — the proxy confirms a TX
 * with checkTransaction before it calls onVerified.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SendAuthClient } from '../../src/api/index.js';
import type { CeremonyResult, TransactionStatus } from '../../src/types.js';
import type { TxStateResult } from '../../src/wire.js';
import { API_PASSWORD, API_USERNAME, call, createUserWithPasskey, expectError, readJson } from '../support/proxy-fixture.js';
import { client, emu, setup, startAuthentication, stateAtSendAuth, useEmulator } from '../support/proxy-security-fixture.js';

useEmulator();

describe('the proxy confirms with checkTransaction before onVerified', () => {
  for (const reported of ['pending', 'denied'] as const) {
    test(`a TX that checkTransaction reports ${reported} is not verified, even though completeCeremony succeeded`, async () => {
      const checked: string[] = [];
      let completed = 0;
      class Doubting extends SendAuthClient {
        override async completeCeremony(...args: Parameters<SendAuthClient['completeCeremony']>): Promise<CeremonyResult> {
          const result = await super.completeCeremony(...args);
          completed += 1;
          assert.equal(result.state, 'verified');
          return result;
        }
        override async checkTransaction(tx: string): Promise<TransactionStatus> {
          checked.push(tx);
          return { state: reported };
        }
      }
      const { handler, verified } = setup({ sendauth: new Doubting({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD }) });
      const user = await createUserWithPasskey(client);
      const start = await startAuthentication(handler, user);

      const answer = await call(handler, `/tx/${start.tx}/verify`, { body: await user.authenticator.authenticate(start.options) });
      assert.deepEqual(answer.headers.getSetCookie(), []);
      await expectError(answer, 400, 'tx-denied');
      assert.equal(completed, 1);
      assert.deepEqual(checked, [start.tx]);
      assert.equal(verified.length, 0);
    });
  }

  test('a body claiming state "verified" is not a verification', async () => {
    const { handler, verified } = setup();
    const user = await createUserWithPasskey(client);
    const start = await startAuthentication(handler, user);

    for (const claim of [{ state: 'verified' }, { state: 'verified', kind: 'authentication', userId: user.id, verified: true }]) {
      await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: claim }), 400, 'invalid-request');
    }
    assert.equal(await stateAtSendAuth(start.tx), 'pending');

    // A real-looking response with a bad signature, dressed up as verified.
    const forged = { ...(await user.authenticator.authenticate(start.options, { tamper: true })), state: 'verified', verified: true };
    await expectError(await call(handler, `/tx/${start.tx}/verify`, { body: forged }), 400, 'tx-denied');
    assert.equal(await stateAtSendAuth(start.tx), 'denied');
    assert.deepEqual(await readJson<TxStateResult>(await call(handler, `/tx/${start.tx}`)), { state: 'denied' });
    assert.equal(verified.length, 0);
  });
});
