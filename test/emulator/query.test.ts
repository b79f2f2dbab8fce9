/**
 * Query strings follow openapi.yaml exactly: the minimums, maximums and enums
 * it declares are enforced, and nothing stricter. `sortBy` is a free string
 * (empty or unknown keeps the default order); `page` and `perPage` have no
 * bounds on listDeletedUsers, getUserTransactions and getUserAudits, so 0,
 * negative and large values are answered, never 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Paginated, PaginatedUsers, User } from '../../src/types.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator-fixture.js';
import { assertJsonError, createUser } from './helpers.js';

const users = '/api/v1/users';
/** More than a default page (20) of each kind of row. */
const COUNT = 25;

let t: TestEmulator;
let subject: string;
let live: string[];
before(async () => {
  t = await startTestEmulator();
  live = [];
  for (let i = 0; i < COUNT; i++) {
    t.clock.advance(1000);
    live.push((await createUser(t)).id);
  }
  for (let i = 0; i < COUNT; i++) {
    const gone = await createUser(t);
    assert.equal((await t.request('DELETE', `${users}/${gone.id}`)).status, 200);
  }
  subject = live[0] ?? '';
  for (let i = 0; i < COUNT; i++) {
    assert.equal((await t.request('POST', `${users}/${subject}/register`)).status, 201);
  }
});
after(() => t.close());

async function rowsOf<T = { id?: string }>(path: string): Promise<Paginated<T>> {
  const res = await t.request<Paginated<T>>('GET', path);
  assert.equal(res.status, 200, `${path}: ${res.text}`);
  return res.body;
}

const ids = (page: Paginated<{ id?: string }>) => page.rows.map((row) => row.id);

describe('listUsers: the spec bounds page (≥ 1), perPage (1–100) and sortDir (asc | desc)', () => {
  it('refuses values outside them with 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['page=0', 'page'],
      ['page=-3', 'page'],
      ['page=', 'page'],
      ['page=1.5', 'page'],
      ['perPage=0', 'perPage'],
      ['perPage=101', 'perPage'],
      ['perPage=ten', 'perPage'],
      ['sortDir=', 'sortDir'],
      ['sortDir=DESC', 'sortDir'],
    ] as const) {
      assert.equal(assertJsonError(await t.request('GET', `${users}?${query}`), 400).field, field, query);
    }
  });

  it('takes sortBy as a free string: empty or unknown keeps the default order (oldest first), a User field sorts by it', async () => {
    const byDefault = ids(await rowsOf<User>(`${users}?perPage=100`));
    assert.equal(byDefault.length, COUNT + 1);
    for (const sortBy of ['', 'nonsense', 'password', '__proto__', 'constructor', 'tags', 'deletedAt', '%00']) {
      assert.deepEqual(ids(await rowsOf(`${users}?perPage=100&sortBy=${sortBy}`)), byDefault, `sortBy=${sortBy}`);
    }
    assert.deepEqual(ids(await rowsOf(`${users}?perPage=100&sortBy=&sortDir=desc`)), [...byDefault].reverse());
    const byUsername = await rowsOf<User>(`${users}?perPage=100&sortBy=username`);
    const usernames = byUsername.rows.map((u) => u.username ?? '');
    assert.deepEqual(usernames, [...usernames].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
  });

  it('accepts the bounds themselves and numbers past every list', async () => {
    assert.equal((await rowsOf(`${users}?perPage=100&page=1`)).rows.length, COUNT + 1);
    assert.deepEqual(await rowsOf(`${users}?page=99999999999999999999999`), { rows: [], total: COUNT + 1 });
    assert.equal((await rowsOf(`${users}?perPage=1`)).rows.length, 1);
  });

  it('reads the first of repeated parameters and ignores undeclared ones', async () => {
    const second = ids(await rowsOf(`${users}?perPage=2&page=2`));
    assert.deepEqual(ids(await rowsOf(`${users}?perPage=2&page=2&page=1&perPage=50`)), second);
    assert.equal((await rowsOf(`${users}?page=1&limit=-1&offset=x&__proto__=1&constructor=2`)).rows.length, 20);
  });
});

describe('listDeletedUsers, getUserTransactions, getUserAudits: page and perPage are any integer', () => {
  const lists = () => [`${users}/deleted`, `${users}/${subject}/transactions`, `${users}/${subject}/audits`];

  it('page 0 or below reads as the first page', async () => {
    for (const path of lists()) {
      const first = ids(await rowsOf(`${path}?perPage=5`));
      assert.equal(first.length, 5, path);
      for (const page of ['0', '-1', '-99999999999999999999']) {
        assert.deepEqual(ids(await rowsOf(`${path}?perPage=5&page=${page}`)), first, `${path} page=${page}`);
      }
    }
  });

  it('perPage 0 or below reads as the default (20); above 100 is answered in full', async () => {
    for (const path of lists()) {
      const all = await rowsOf(`${path}?perPage=1000`);
      assert.ok(all.total > 20, `${path} has more than a default page`);
      assert.equal(all.rows.length, all.total, `${path} perPage=1000 is one page`);
      for (const perPage of ['0', '-5']) {
        assert.equal((await rowsOf(`${path}?perPage=${perPage}`)).rows.length, 20, `${path} perPage=${perPage}`);
      }
      assert.equal((await rowsOf(`${path}?perPage=99999999999999999999`)).rows.length, all.total);
    }
  });

  it('still refuses what is not an integer, and a sortDir there is ignored (the operations declare none)', async () => {
    for (const path of lists()) {
      for (const [query, field] of [
        ['page=abc', 'page'],
        ['page=', 'page'],
        ['perPage=1e3', 'perPage'],
        ['perPage=%20', 'perPage'],
      ] as const) {
        assert.equal(assertJsonError(await t.request('GET', `${path}?${query}`), 400).field, field, `${path}?${query}`);
      }
      assert.equal((await t.request('GET', `${path}?sortDir=sideways&sortBy=x`)).status, 200);
    }
  });

  it('an empty q is no filter', async () => {
    const deleted = await rowsOf<PaginatedUsers['rows'][number]>(`${users}/deleted?q=&permission=`);
    assert.equal(deleted.total, COUNT);
  });
});
