/**
 * Security rule: an unknown (or deleted) user cannot be told from one
 * without a passkey — not by status, headers, body, or the SendAuth requests
 * made.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { apiClient, call, countingFetch, createUser, readJson } from '../support/proxy-fixture.js';
import { client, emu, setup, useEmulator } from '../support/proxy-security-fixture.js';

useEmulator();

describe('an unknown user cannot be told from one without a passkey', () => {
  async function observe(body: unknown) {
    const counting = countingFetch();
    const { handler } = setup({ sendauth: apiClient(emu, { fetch: counting.fetch }) });
    const response = await call(handler, '/authenticate', { body });
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date' && name !== 'content-length'));
    return { status: response.status, headers, body: await readJson(response), requests: counting.requests };
  }

  test('same status, headers, body, and the same SendAuth requests', async () => {
    const user = await createUser(client);
    const cases: Array<[unknown, unknown]> = [
      [{ username: user.email }, { username: `${randomUUID()}@example.test` }],
      [{ username: user.email.toUpperCase() }, { username: 'no-such-name' }],
      [{ userId: user.id }, { userId: randomUUID() }],
    ];
    for (const [known, unknown] of cases) {
      const withoutPasskey = await observe(known);
      const stranger = await observe(unknown);
      assert.equal(withoutPasskey.status, 404);
      assert.deepEqual((withoutPasskey.body as { error: { code: string } }).error.code, 'no-passkey');
      assert.deepEqual(stranger, withoutPasskey);
      assert.ok(withoutPasskey.requests.length > 0);
    }
    assert.equal((await client.getUserTransactions(user.id)).total, 0);
  });

  test('a deleted user looks the same too', async () => {
    const user = await createUser(client);
    await client.deleteUser(user.id);
    const deleted = await observe({ userId: user.id });
    const stranger = await observe({ userId: randomUUID() });
    assert.deepEqual(deleted, stranger);
  });
});
