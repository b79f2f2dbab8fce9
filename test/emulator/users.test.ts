/** The Users API of the emulator over real HTTP: every operation, its success path and documented errors. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Audit, PaginatedAudits, PaginatedTransactions, PaginatedUsers, User } from '../../src/types.js';
import { startTestEmulator, TEST_ORIGIN, TEST_PASSWORD, TEST_USERNAME, type TestEmulator } from '../support/emulator-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { assertJsonError, createUser, registerPasskey, uniqueName } from './helpers.js';

let t: TestEmulator;
before(async () => {
  t = await startTestEmulator();
});
after(() => t.close());

const users = '/api/v1/users';

async function auditActions(userId: string): Promise<string[]> {
  const res = await t.request<PaginatedAudits>('GET', `${users}/${userId}/audits?perPage=100`);
  assert.equal(res.status, 200, res.text);
  return res.body.rows.map((a) => a.action ?? '');
}

describe('basic auth', () => {
  it('answers 401 JSON without credentials or with wrong ones, on every kind of path', async () => {
    for (const path of [users, `${users}/${randomUUID()}`, `/api/v1/transactions/${randomUUID()}/check`, '/nope']) {
      assertJsonError(await t.request('GET', path, { auth: false }), 401);
      assertJsonError(await t.request('GET', path, { auth: { username: TEST_USERNAME, password: 'wrong' } }), 401);
      assertJsonError(await t.request('GET', path, { auth: { username: 'someone', password: TEST_PASSWORD } }), 401);
    }
    const res = await t.request('GET', users, { headers: { Authorization: 'Basic !!!not-base64' }, auth: false });
    assertJsonError(res, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
  });
});

describe('create user', () => {
  it('creates a user: 201, id, username from the e-mail, read-only fields ignored', async () => {
    const email = `${uniqueName('Mixed')}@Example.COM`;
    const res = await t.request<User>('POST', users, {
      body: {
        firstName: 'Grace',
        lastName: 'Hopper',
        email,
        phone: '+1 555 0100',
        role: 'user',
        permissions: ['billing'],
        messagingPreference: 'email',
        company: { name: 'Navy' },
        id: randomUUID(),
        username: 'chosen-by-caller',
        hasPasskeys: true,
        createdAt: '2000-01-01T00:00:00.000Z',
        somethingUnknown: 1,
      },
    });
    assert.equal(res.status, 201, res.text);
    const user = res.body;
    assert.match(user.id ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(user.username, email.toLowerCase());
    assert.equal(user.hasPasskeys, false);
    assert.equal(user.createdAt, new Date(t.clock.now()).toISOString());
    assert.equal(user.firstName, 'Grace');
    assert.deepEqual(user.permissions, ['billing']);
    assert.deepEqual(user.company, { name: 'Navy' });
    assert.equal('somethingUnknown' in user, false);
    assert.deepEqual(await auditActions(user.id ?? ''), ['create']);
  });

  it('derives firstname.lastname as username when there is no e-mail', async () => {
    const firstName = uniqueName('Ada');
    const res = await t.request<User>('POST', users, { body: { firstName, lastName: 'Lovelace' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.username, `${firstName}.Lovelace`.toLowerCase());
  });

  it('answers 422 for an e-mail that exists (any case), and accepts it again once that user is deleted', async () => {
    const first = await createUser(t);
    const again = await t.request('POST', users, { body: { firstName: 'Other', lastName: 'Person', email: first.email?.toUpperCase() } });
    assertJsonError(again, 422);
    assert.equal((await t.request('DELETE', `${users}/${first.id}`)).status, 200);
    const afterDelete = await t.request('POST', users, { body: { firstName: 'Other', lastName: 'Person', email: first.email } });
    assert.equal(afterDelete.status, 201, afterDelete.text);
  });

  it('answers 403 for role super_admin', async () => {
    const res = await t.request('POST', users, { body: { firstName: 'Evil', lastName: 'Admin', role: 'super_admin' } });
    const body = assertJsonError(res, 403);
    assert.equal(body.error, 'Insufficient permissions');
  });

  it('answers 400 for invalid fields, naming the field', async () => {
    const valid = { firstName: 'Valid', lastName: 'Name' };
    const cases: [object, string][] = [
      [{ lastName: 'Name' }, 'firstName'],
      [{ firstName: 'Valid' }, 'lastName'],
      [{ ...valid, firstName: 'A' }, 'firstName'],
      [{ ...valid, lastName: 'x'.repeat(51) }, 'lastName'],
      [{ ...valid, firstName: 42 }, 'firstName'],
      [{ ...valid, email: 'not-an-email' }, 'email'],
      [{ ...valid, email: `${'a'.repeat(250)}@example.com` }, 'email'],
      [{ ...valid, phone: '1'.repeat(21) }, 'phone'],
      [{ ...valid, role: 'root' }, 'role'],
      [{ ...valid, messagingPreference: 'pigeon' }, 'messagingPreference'],
      [{ ...valid, permissions: ['x'.repeat(65)] }, 'permissions'],
      [{ ...valid, permissions: 'billing' }, 'permissions'],
      [{ ...valid, permissions: [1] }, 'permissions'],
      [{ ...valid, permissionGroups: ['not-a-uuid'] }, 'permissionGroups'],
      [{ ...valid, company: 'ACME' }, 'company'],
      [{ ...valid, company: { name: 'A' } }, 'name'],
    ];
    for (const [body, field] of cases) {
      const error = assertJsonError(await t.request('POST', users, { body }), 400);
      assert.equal(error.field, field, JSON.stringify(body));
    }
    for (const body of ['', 'null', '[]', '"text"', '{bad json']) {
      assertJsonError(await t.request('POST', users, { body }), 400);
    }
  });
});

describe('get, update, delete, restore, destroy', () => {
  it('gets a user (200) and answers 404 for an unknown one', async () => {
    const user = await createUser(t);
    const got = await t.request<User>('GET', `${users}/${user.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, user);
    assertJsonError(await t.request('GET', `${users}/${randomUUID()}`), 404);
  });

  it('updates the writable fields (200), keeping the read-only ones', async () => {
    const user = await createUser(t, { phone: '123' });
    const res = await t.request<User>('PUT', `${users}/${user.id}`, {
      body: { firstName: 'Renamed', lastName: 'Person', email: user.email, role: 'admin', username: 'ignored', hasPasskeys: true },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.firstName, 'Renamed');
    assert.equal(res.body.role, 'admin');
    assert.equal(res.body.phone, undefined, 'PUT replaces the writable fields');
    assert.equal(res.body.username, user.username);
    assert.equal(res.body.hasPasskeys, false);
    assert.equal(res.body.createdAt, user.createdAt);
    assert.deepEqual((await t.request('GET', `${users}/${user.id}`)).body, res.body);
    assert.deepEqual(await auditActions(user.id), ['update', 'create']);
  });

  it('answers 422 for invalid fields on update, 403 for super_admin, 404 for unknown, 422 for a taken e-mail', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const invalid = assertJsonError(await t.request('PUT', `${users}/${user.id}`, { body: { firstName: 'X', lastName: 'Person' } }), 422);
    assert.equal(invalid.field, 'firstName');
    assertJsonError(await t.request('PUT', `${users}/${user.id}`, { body: { lastName: 'Person' } }), 422);
    assertJsonError(await t.request('PUT', `${users}/${user.id}`, { body: { firstName: 'Good', lastName: 'Person', role: 'super_admin' } }), 403);
    assertJsonError(await t.request('PUT', `${users}/${randomUUID()}`, { body: { firstName: 'Good', lastName: 'Person' } }), 404);
    assertJsonError(await t.request('PUT', `${users}/${user.id}`, { body: { firstName: 'Good', lastName: 'Person', email: other.email } }), 422);
    assertJsonError(await t.request('PUT', `${users}/${user.id}`, { body: '{not json' }), 400);
    const unchanged = await t.request<User>('GET', `${users}/${user.id}`);
    assert.deepEqual(unchanged.body, user, 'failed updates change nothing');
  });

  it('soft-deletes (200): gone from get and list, listed as deleted; 404 twice; 403 for the account itself', async () => {
    const user = await createUser(t);
    assert.equal((await t.request('DELETE', `${users}/${user.id}`)).status, 200);
    assertJsonError(await t.request('GET', `${users}/${user.id}`), 404);
    assertJsonError(await t.request('DELETE', `${users}/${user.id}`), 404);
    const list = await t.request<PaginatedUsers>('GET', `${users}?q=${encodeURIComponent(user.email ?? '')}`);
    assert.equal(list.body.total, 0);
    const deleted = await t.request<PaginatedUsers>('GET', `${users}/deleted?q=${encodeURIComponent(user.email ?? '')}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body.rows.map((u) => u.id), [user.id]);

    const own = assertJsonError(await t.request('DELETE', `${users}/${t.emulator.accountUserId}`), 403);
    assert.equal(own.error, 'Cannot delete own account');
    assert.equal((await t.request('GET', `${users}/${t.emulator.accountUserId}`)).status, 200);
  });

  it('restores a deleted user (200), then 404 for one that is not deleted', async () => {
    const user = await createUser(t);
    await t.request('DELETE', `${users}/${user.id}`);
    assert.equal((await t.request('PUT', `${users}/deleted/${user.id}`)).status, 200);
    assert.equal((await t.request('GET', `${users}/${user.id}`)).status, 200);
    assertJsonError(await t.request('PUT', `${users}/deleted/${user.id}`), 404);
    assertJsonError(await t.request('PUT', `${users}/deleted/${randomUUID()}`), 404);
    assert.deepEqual(await auditActions(user.id), ['restore', 'delete', 'create']);
  });

  it('refuses to restore a user whose email was taken meanwhile (422), and keeps them deleted', async () => {
    const user = await createUser(t);
    await t.request('DELETE', `${users}/${user.id}`);
    const newcomer = await createUser(t, { email: user.email });
    assert.equal(newcomer.email, user.email);
    const refused = assertJsonError(await t.request('PUT', `${users}/deleted/${user.id}`), 422);
    assert.equal(refused.field, 'email');
    assert.equal((await t.request('GET', `${users}/${user.id}`)).status, 404);
    const deleted = await t.request<{ rows: Array<{ id: string }> }>('GET', `${users}/deleted?q=${encodeURIComponent(user.email ?? '')}`);
    assert.ok(deleted.body.rows.some((u) => u.id === user.id));
  });

  it('destroys only soft-deleted users (200, then 404 everywhere)', async () => {
    const user = await createUser(t);
    assertJsonError(await t.request('DELETE', `${users}/deleted/${user.id}`), 404);
    await t.request('DELETE', `${users}/${user.id}`);
    assert.equal((await t.request('DELETE', `${users}/deleted/${user.id}`)).status, 200);
    assertJsonError(await t.request('DELETE', `${users}/deleted/${user.id}`), 404);
    assertJsonError(await t.request('PUT', `${users}/deleted/${user.id}`), 404);
    assertJsonError(await t.request('GET', `${users}/${user.id}`), 404);
  });

  it('cancels the pending transactions of a user it deletes', async () => {
    const user = await createUser(t);
    const start = await t.request<{ tx: string }>('POST', `${users}/${user.id}/register`);
    await t.request('DELETE', `${users}/${user.id}`);
    const check = await t.request<{ state: string }>('GET', `/api/v1/transactions/${start.body.tx}/check`);
    assert.equal(check.body.state, 'cancelled');
  });
});

describe('list users', () => {
  // A private emulator, so totals are exactly what this block created (plus the account user).
  let list: TestEmulator;
  const created: User[] = [];
  before(async () => {
    list = await startTestEmulator();
    const people = [
      { firstName: 'Charlie', lastName: 'Brown', email: 'charlie@peanuts.test', permissions: ['kite'] },
      { firstName: 'Lucy', lastName: 'Van Pelt', email: 'lucy@peanuts.test', groupPermissions: ['advice', 'kite'] },
      { firstName: 'Linus', lastName: 'van Pelt', email: 'linus@blanket.test' },
      { firstName: 'Sally', lastName: 'Brown', email: 'sally@peanuts.test', permissions: ['school'] },
      { firstName: 'Peppermint', lastName: 'Patty' },
    ];
    for (const person of people) {
      list.clock.advance(1000);
      const res = await list.request<User>('POST', users, { body: person });
      assert.equal(res.status, 201, res.text);
      created.push(res.body);
    }
  });
  after(() => list.close());

  it('pages with defaults page=1, perPage=20 and reports the total', async () => {
    const all = await list.request<PaginatedUsers>('GET', users);
    assert.equal(all.status, 200);
    assert.equal(all.body.total, created.length + 1);
    assert.equal(all.body.rows.length, created.length + 1);
    const page2 = await list.request<PaginatedUsers>('GET', `${users}?page=2&perPage=2`);
    assert.equal(page2.body.total, created.length + 1);
    assert.deepEqual(page2.body.rows.map((u) => u.id), all.body.rows.slice(2, 4).map((u) => u.id));
    const beyond = await list.request<PaginatedUsers>('GET', `${users}?page=99`);
    assert.deepEqual(beyond.body, { rows: [], total: created.length + 1 });
  });

  it('searches q case-insensitively over first name, last name, e-mail and username', async () => {
    const byQ = async (q: string) => (await list.request<PaginatedUsers>('GET', `${users}?q=${encodeURIComponent(q)}`)).body.rows.map((u) => u.firstName).sort();
    assert.deepEqual(await byQ('BROWN'), ['Charlie', 'Sally']);
    assert.deepEqual(await byQ('pelt'), ['Linus', 'Lucy']);
    assert.deepEqual(await byQ('BLANKET.test'), ['Linus']);
    assert.deepEqual(await byQ('peppermint.patty'), ['Peppermint']);
    assert.deepEqual(await byQ('nobody'), []);
  });

  it('filters by permission over permissions and groupPermissions', async () => {
    const res = await list.request<PaginatedUsers>('GET', `${users}?permission=kite`);
    assert.deepEqual(res.body.rows.map((u) => u.firstName).sort(), ['Charlie', 'Lucy']);
    assert.equal(res.body.total, 2);
  });

  it('sorts by firstName, lastName, email, createdAt, asc or desc', async () => {
    // q=L leaves out the account user ("API Account") and Peppermint Patty.
    const names = async (query: string) => (await list.request<PaginatedUsers>('GET', `${users}?q=L&${query}`)).body.rows.map((u) => u.firstName);
    const expectedByFirst = created.filter((u) => /l/i.test(`${u.firstName} ${u.lastName} ${u.email ?? ''} ${u.username}`)).map((u) => u.firstName);
    assert.deepEqual(await names('sortBy=firstName'), [...expectedByFirst].sort());
    assert.deepEqual(await names('sortBy=firstName&sortDir=desc'), [...expectedByFirst].sort().reverse());
    assert.deepEqual(await names('sortBy=createdAt&sortDir=asc'), expectedByFirst);
    assert.deepEqual(await names('sortBy=createdAt&sortDir=desc'), [...expectedByFirst].reverse());
    const byEmail = await list.request<PaginatedUsers>('GET', `${users}?q=peanuts&sortBy=email`);
    assert.deepEqual(byEmail.body.rows.map((u) => u.email), ['charlie@peanuts.test', 'lucy@peanuts.test', 'sally@peanuts.test']);
    const byLast = await list.request<PaginatedUsers>('GET', `${users}?q=brown&sortBy=lastName&sortDir=desc`);
    assert.equal(byLast.body.rows.length, 2);
  });

  it('answers 400 for paging or sorting parameters outside the spec (query.test.ts has the whole table)', async () => {
    for (const query of ['page=0', 'page=-1', 'page=abc', 'page=1.5', 'perPage=0', 'perPage=101', 'perPage=', 'sortDir=up']) {
      assertJsonError(await list.request('GET', `${users}?${query}`), 400);
    }
    assertJsonError(await list.request('GET', `${users}/deleted?page=abc`), 400);
  });

  it('lists deleted users with the same paging, q and permission', async () => {
    const [charlie, lucy] = created;
    await list.request('DELETE', `${users}/${charlie?.id}`);
    await list.request('DELETE', `${users}/${lucy?.id}`);
    try {
      const deleted = await list.request<PaginatedUsers>('GET', `${users}/deleted`);
      assert.equal(deleted.body.total, 2);
      const paged = await list.request<PaginatedUsers>('GET', `${users}/deleted?perPage=1&page=2`);
      assert.equal(paged.body.rows.length, 1);
      assert.equal(paged.body.total, 2);
      const byPermission = await list.request<PaginatedUsers>('GET', `${users}/deleted?permission=advice`);
      assert.deepEqual(byPermission.body.rows.map((u) => u.id), [lucy?.id]);
      const byQ = await list.request<PaginatedUsers>('GET', `${users}/deleted?q=CHARLIE`);
      assert.deepEqual(byQ.body.rows.map((u) => u.id), [charlie?.id]);
      const live = await list.request<PaginatedUsers>('GET', users);
      assert.equal(live.body.total, created.length + 1 - 2);
    } finally {
      await list.request('PUT', `${users}/deleted/${charlie?.id}`);
      await list.request('PUT', `${users}/deleted/${lucy?.id}`);
    }
  });
});

describe('tags, audits, transactions', () => {
  it('sets tags (200) and records them; 404 for an unknown user; 400 for non-string values', async () => {
    const user = await createUser(t);
    assert.equal((await t.request('PUT', `${users}/${user.id}/tags`, { body: { tags: { team: 'blue', tier: 'gold' } } })).status, 200);
    const audits = await t.request<PaginatedAudits>('GET', `${users}/${user.id}/audits?q=tags`);
    assert.deepEqual(audits.body.rows[0]?.extras, { team: 'blue', tier: 'gold' });
    assert.equal((await t.request('PUT', `${users}/${user.id}/tags`)).status, 200, 'the body is optional');
    assertJsonError(await t.request('PUT', `${users}/${randomUUID()}/tags`, { body: { tags: {} } }), 404);
    assertJsonError(await t.request('PUT', `${users}/${user.id}/tags`, { body: { tags: { n: 1 } } }), 400);
    assertJsonError(await t.request('PUT', `${users}/${user.id}/tags`, { body: { tags: ['a'] } }), 400);
  });

  it('records an audit per action with actor, subject, name, type and time, newest first', async () => {
    const user = await createUser(t);
    const authenticator = new SoftAuthenticator({ origin: TEST_ORIGIN });
    await registerPasskey(t, user.id, authenticator);
    await t.request('POST', `${users}/${user.id}/authenticate`);
    await t.request('DELETE', `${users}/${user.id}/passkey`);
    const res = await t.request<PaginatedAudits>('GET', `${users}/${user.id}/audits`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.rows.map((a: Audit) => a.action),
      ['passkey-removed', 'authenticate-start', 'passkey-registered', 'register-start', 'create'],
    );
    for (const audit of res.body.rows) {
      assert.equal(audit.actor, TEST_USERNAME);
      assert.equal(audit.subject, user.id);
      assert.equal(audit.name, `${user.firstName} ${user.lastName}`);
      assert.equal(audit.type, 'user');
      assert.ok(Number.isFinite(Date.parse(audit.created_at ?? '')));
    }
    const paged = await t.request<PaginatedAudits>('GET', `${users}/${user.id}/audits?perPage=2&page=2`);
    assert.deepEqual(paged.body.rows.map((a) => a.action), ['passkey-registered', 'register-start']);
    assert.equal(paged.body.total, 5);
    const searched = await t.request<PaginatedAudits>('GET', `${users}/${user.id}/audits?q=PASSKEY`);
    assert.equal(searched.body.total, 2);
    assertJsonError(await t.request('GET', `${users}/${randomUUID()}/audits`), 404);
    assertJsonError(await t.request('GET', `${users}/${user.id}/audits?perPage=many`), 400);
  });

  it('lists a user’s transactions, newest first, searchable by message and state; 404 for unknown', async () => {
    const user = await createUser(t);
    const authenticator = new SoftAuthenticator({ origin: TEST_ORIGIN });
    await registerPasskey(t, user.id, authenticator);
    const first = await t.request<{ tx: string }>('POST', `${users}/${user.id}/authenticate`, { body: { message: 'Approve wire transfer' } });
    const second = await t.request<{ tx: string }>('POST', `${users}/${user.id}/authenticate`, { body: { message: 'Sign in', connectwise: 'CW-1' } });
    await t.request('DELETE', `/api/v1/transactions/${second.body.tx}/cancel`);

    const res = await t.request<PaginatedTransactions>('GET', `${users}/${user.id}/transactions`);
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 3);
    assert.deepEqual(res.body.rows.slice(0, 2).map((r) => r.id), [second.body.tx, first.body.tx]);
    const row = res.body.rows[1];
    assert.equal(row?.subject, user.id);
    assert.equal(row?.subjectName, `${user.firstName} ${user.lastName}`);
    assert.equal(row?.requestor, TEST_USERNAME);
    assert.equal(row?.state, 'pending');
    assert.equal(Date.parse(row?.expiresAt ?? '') - Date.parse(row?.createdAt ?? ''), 5 * 60_000);

    const byMessage = await t.request<PaginatedTransactions>('GET', `${users}/${user.id}/transactions?q=WIRE`);
    assert.deepEqual(byMessage.body.rows.map((r) => r.id), [first.body.tx]);
    const byState = await t.request<PaginatedTransactions>('GET', `${users}/${user.id}/transactions?q=cancelled`);
    assert.deepEqual(byState.body.rows.map((r) => r.id), [second.body.tx]);
    const paged = await t.request<PaginatedTransactions>('GET', `${users}/${user.id}/transactions?perPage=1&page=3`);
    assert.equal(paged.body.rows.length, 1);
    assertJsonError(await t.request('GET', `${users}/${randomUUID()}/transactions`), 404);
  });
});

describe('register, authenticate, remove passkey', () => {
  it('register: 201 {tx} for a user without passkeys, 404 unknown, 406 once the user has one', async () => {
    const user = await createUser(t);
    const res = await t.request<{ tx: string }>('POST', `${users}/${user.id}/register`);
    assert.equal(res.status, 201);
    assert.match(res.body.tx, /^[0-9a-f-]{36}$/);
    assertJsonError(await t.request('POST', `${users}/${randomUUID()}/register`), 404);
    await registerPasskey(t, user.id, new SoftAuthenticator({ origin: TEST_ORIGIN }));
    const refused = assertJsonError(await t.request('POST', `${users}/${user.id}/register`), 406);
    assert.match(refused.error, /already has passkeys/);
  });

  it('authenticate: 406 without passkeys, 404 unknown, 201 {tx} with one; WebTX limits are checked', async () => {
    const user = await createUser(t);
    const none = assertJsonError(await t.request('POST', `${users}/${user.id}/authenticate`), 406);
    assert.match(none.error, /no passkeys/);
    assertJsonError(await t.request('POST', `${users}/${randomUUID()}/authenticate`), 404);
    await registerPasskey(t, user.id, new SoftAuthenticator({ origin: TEST_ORIGIN }));
    assert.equal((await t.request('POST', `${users}/${user.id}/authenticate`)).status, 201);
    assert.equal((await t.request('POST', `${users}/${user.id}/authenticate`, { body: {} })).status, 201);
    assertJsonError(await t.request('POST', `${users}/${user.id}/authenticate`, { body: { message: 'x'.repeat(1025) } }), 400);
    assertJsonError(await t.request('POST', `${users}/${user.id}/authenticate`, { body: { connectwise: 'x'.repeat(65) } }), 400);
    assertJsonError(await t.request('POST', `${users}/${user.id}/authenticate`, { body: { message: 7 } }), 400);
    assertJsonError(await t.request('POST', `${users}/${user.id}/authenticate`, { body: '[1,2' }), 400);
  });

  it('remove passkey: 200 and hasPasskeys false (registration allowed again); 404 unknown', async () => {
    const user = await createUser(t);
    await registerPasskey(t, user.id, new SoftAuthenticator({ origin: TEST_ORIGIN }));
    assert.equal((await t.request('DELETE', `${users}/${user.id}/passkey`)).status, 200);
    const got = await t.request<User>('GET', `${users}/${user.id}`);
    assert.equal(got.body.hasPasskeys, false);
    assertJsonError(await t.request('POST', `${users}/${user.id}/authenticate`), 406);
    assert.equal((await t.request('POST', `${users}/${user.id}/register`)).status, 201);
    assertJsonError(await t.request('DELETE', `${users}/${randomUUID()}/passkey`), 404);
  });
});
