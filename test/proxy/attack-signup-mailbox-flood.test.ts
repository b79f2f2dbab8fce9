/**
 * Attack: flood one person's inbox through sign-up. Every sign-up makes SendAuth notify the new
 * account's address, and sign-ups were limited per email as typed, so `ada+1@example.test`,
 * `ada+2@example.test`, … (subaddresses, RFC 5233: all delivered to ada's one mailbox) each got a
 * fresh budget: from a few addresses, one inbox got as many notifications as the attacker liked,
 * and as many junk accounts were made.
 *
 * Now sign-ups count per mailbox: the subaddress is dropped from the key (after the one form of
 * the address: case, space, IDN), for the sign-up limit and the approval limit alike.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { mailboxKey } from '../../src/proxy/rate-limit.js';
import { attackedSite, type AttackedSite } from '../support/attack-site.js';
import { apiClient, expectError, startTestEmulator } from '../support/proxy-fixture.js';

const LIMIT = 3;
let emu: RunningEmulator;
let site: AttackedSite;
before(async () => {
  emu = await startTestEmulator();
  site = await attackedSite(emu, {
    allowSignup: true,
    rateLimit: { limit: LIMIT, ipLimit: 1_000 },
    approval: { rateLimit: { limit: 1, windowMs: 900_000 } },
  });
});
after(async () => {
  await site.close();
  await emu.close();
});

const signup = (email: string, mode?: 'approval') =>
  site.send('signup', { body: { email, firstName: 'Ada', lastName: 'Lovelace', ...(mode ? { mode } : {}) } });

async function accountsOf(mailbox: string): Promise<number> {
  return (await apiClient(emu).listUsers({ q: mailbox.split('@')[0]!, perPage: 100 })).rows.length;
}

test('mailboxKey drops the subaddress, and only that', () => {
  assert.equal(mailboxKey('ada+1@example.test'), 'ada@example.test');
  assert.equal(mailboxKey('ada+a+b@example.test'), 'ada@example.test');
  assert.equal(mailboxKey('ADA+X@Example.Test'), 'ada@example.test');
  assert.equal(mailboxKey('ada@example.test'), 'ada@example.test');
  assert.equal(mailboxKey('+ada@example.test'), '+ada@example.test', 'a local part that is all tag is its own mailbox');
  assert.notEqual(mailboxKey('ada.b@example.test'), mailboxKey('adab@example.test'), 'dots are the provider’s business');
});

test(`sign-ups to ${LIMIT * 3} subaddresses of one mailbox: ${LIMIT} accounts and notifications, then 429`, async () => {
  const user = `victim-${randomUUID().slice(0, 8)}`;
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT * 3; i++) {
    const spelling = i % 2 === 0 ? `${user}+${i}@example.test` : ` ${user.toUpperCase()}+Tag${i}@EXAMPLE.test `;
    const response = await signup(spelling);
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  assert.deepEqual(statuses, [...Array(LIMIT).fill(201), ...Array(LIMIT * 2).fill(429)]);
  assert.equal(await accountsOf(`${user}@example.test`), LIMIT, 'no account made past the limit');
  await expectError(await signup(`${user}@example.test`), 429, 'rate-limited');
  // Another mailbox is its own budget.
  const other = await signup(`other-${randomUUID().slice(0, 8)}+1@example.test`);
  assert.equal(other.status, 201, await other.text());
});

test('the stricter approval limit counts per mailbox too', async () => {
  const user = `approver-${randomUUID().slice(0, 8)}`;
  assert.equal((await signup(`${user}+a@example.test`, 'approval')).status, 201);
  await expectError(await signup(`${user}+b@example.test`, 'approval'), 429, 'rate-limited');
  assert.equal(await accountsOf(`${user}@example.test`), 1);
  assert.deepEqual(site.errors, []);
});
