/**
 * The contract every `ProxyStore` keeps (`src/proxy/store.ts`), as one suite
 * run against each store: the memory store here, the Redis store against a
 * real redis-server. `make` gives a fresh, empty store and a way to let time
 * pass (a manual clock for memory, real waiting for Redis).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { ProxyStore } from '../../src/proxy/store.js';

/** How far two `resetAt`s of one window may differ (a remaining TTL read at two moments). */
const RESET_AT_SLACK_MS = 100;

export interface StoreUnderTest {
  store: ProxyStore;
  /** Lets `ms` pass for the store's TTLs. */
  elapse(ms: number): Promise<void>;
  /**
   * What the short TTLs and waits of the expiry tests are multiplied by. A store on real time
   * (Redis) needs them long enough that a loaded machine's pause between two calls (tens of ms)
   * cannot outlast a TTL the test expects to hold. @default 1
   */
  timeScale?: number;
}

export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} keeps the ProxyStore contract`, () => {
    const key = (): string => `contract:${randomUUID()}`;

    test('get answers what set stored, until its TTL ends; delete removes it', async () => {
      const { store, elapse, timeScale = 1 } = await make();
      const k = key();
      assert.equal(await store.get(k), undefined);
      await store.set(k, '{"a":1}', 200 * timeScale);
      assert.equal(await store.get(k), '{"a":1}');
      await store.set(k, 'two', 200 * timeScale);
      assert.equal(await store.get(k), 'two', 'set overwrites');
      await store.delete(k);
      assert.equal(await store.get(k), undefined);
      await store.delete(k); // absent: nothing happens
      await store.set(k, 'x', 100 * timeScale);
      await elapse(150 * timeScale);
      assert.equal(await store.get(k), undefined, 'expired');
    });

    test('a TTL of 0 or less is 1 ms, never "no expiry"', async () => {
      const { store, elapse } = await make();
      const [a, b, c] = [key(), key(), key()];
      await store.set(a, 'x', 0);
      await store.set(b, 'x', -5_000);
      assert.equal(await store.setIfAbsent(c, 'x', 0), true);
      await elapse(50);
      assert.deepEqual([await store.get(a), await store.get(b), await store.get(c)], [undefined, undefined, undefined]);
    });

    test('setIfAbsent sets once, and again only after the value expired or was deleted', async () => {
      const { store, elapse, timeScale = 1 } = await make();
      const k = key();
      assert.equal(await store.setIfAbsent(k, 'first', 100 * timeScale), true);
      assert.equal(await store.setIfAbsent(k, 'second', 100 * timeScale), false);
      assert.equal(await store.get(k), 'first');
      await elapse(150 * timeScale);
      assert.equal(await store.setIfAbsent(k, 'third', 1_000), true);
      await store.delete(k);
      assert.equal(await store.setIfAbsent(k, 'fourth', 1_000), true);
    });

    test('twenty concurrent setIfAbsent calls on one key: exactly one wins', async () => {
      const { store } = await make();
      const k = key();
      const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, String(i), 5_000)));
      assert.equal(wins.filter(Boolean).length, 1);
    });

    test('hit counts in a fixed window that starts with its first hit, and starts again after it', async () => {
      const { store, elapse, timeScale = 1 } = await make();
      const k = key();
      const first = await store.hit(k, 200 * timeScale);
      assert.equal(first.count, 1);
      assert.ok(first.resetAt > Date.now() - 1_000_000, 'resetAt is ms since the epoch');
      const second = await store.hit(k, 200 * timeScale);
      assert.equal(second.count, 2, 'same window');
      // A store that derives resetAt from the key's remaining TTL (Redis: its clock + PTTL) may
      // differ by the time between two answers; the window is the same one, not a new one.
      assert.ok(Math.abs(second.resetAt - first.resetAt) <= RESET_AT_SLACK_MS * timeScale, `resetAt ${second.resetAt} vs ${first.resetAt}`);
      await elapse(250 * timeScale);
      assert.equal((await store.hit(k, 200 * timeScale)).count, 1, 'a new window');
    });

    describe('claimIf (one atomic step: read a record, take a marker, count a hit)', () => {
      const claimOf = (record: string, where: Record<string, string | null>, windowMs?: number) => {
        const [marker, counter] = [key(), key()];
        return { marker, counter, claim: { recordKey: record, where, marker: { key: marker, value: 'mine', ttlMs: 5_000 }, counter: { key: counter, ...(windowMs ? { windowMs } : {}) } } };
      };

      test('no record, or one that does not match: nothing taken, nothing counted, the record read back', async () => {
        const { store } = await make();
        assert.ok(store.claimIf, 'this store has claimIf');
        const record = key();
        const absent = claimOf(record, { state: 'started' });
        assert.deepEqual(await store.claimIf(absent.claim), { record: undefined, claimed: false });
        const json = '{"state":"verified","kind":"authentication"}';
        await store.set(record, json, 5_000);
        const wheres: Array<Record<string, string | null>> = [{ state: 'started' }, { state: 'verified', kind: 'registration' }, { kind: null }, { missing: 'x' }];
        for (const where of wheres) {
          const { claim, marker, counter } = claimOf(record, where);
          assert.deepEqual(await store.claimIf(claim), { record: json, claimed: false }, JSON.stringify(where));
          assert.equal(await store.get(marker), undefined, 'no marker taken');
          assert.equal((await store.hit(counter, 5_000)).count, 1, 'nothing counted');
        }
        const notJson = key();
        await store.set(notJson, 'not json', 5_000);
        assert.equal((await store.claimIf(claimOf(notJson, {}).claim)).claimed, false, 'a record that is no JSON object never matches');
      });

      test('the check reads the record as JSON has it: an object’s own fields only; null is absent; a number, true, an array or an object is no string', async () => {
        const { store } = await make();
        // `__proto__` as an own key of `where` (a literal would set the prototype instead).
        const absentByPrototypeNames = JSON.parse('{"constructor":null,"toString":null,"hasOwnProperty":null,"__proto__":null}') as Record<string, null>;
        const cases: Array<[record: string, where: Record<string, string | null>, matches: boolean]> = [
          ['[]', {}, false],
          ['["started"]', { mode: null }, false],
          ['[{"state":"started"}]', {}, false],
          [' \n{"state":"started"} ', { state: 'started' }, true],
          ['{}', absentByPrototypeNames, true],
          ['{"state":"started"}', { toString: 'x' }, false],
          ['{"state":null}', { state: null }, true],
          ['{"state":null}', { state: 'started' }, false],
          ['{"state":1}', { state: '1' }, false],
          ['{"state":true}', { state: 'true' }, false],
          ['{"state":["started"]}', { state: 'started' }, false],
          ['{"state":{"0":"started"}}', { state: 'started' }, false],
          ['{"state":"st\\u0061rted"}', { state: 'started' }, true],
          ['{"state":"started","state":"verified"}', { state: 'verified' }, true],
        ];
        for (const [json, where, matches] of cases) {
          const record = key();
          await store.set(record, json, 5_000);
          const { claim, marker } = claimOf(record, where);
          const result = await store.claimIf!(claim);
          assert.deepEqual(result.claimed, matches, `${json} against ${JSON.stringify(where)}`);
          assert.equal(await store.get(marker), matches ? 'mine' : undefined, `the marker of ${json}`);
        }
      });

      test('a match takes the marker and counts, in a window as long as the record has left to live; a second claim finds the marker held', async () => {
        const { store } = await make();
        const record = key();
        const json = '{"state":"started","kind":"authentication","userId":"u"}';
        await store.set(record, json, 3_000);
        const { claim, marker, counter } = claimOf(record, { state: 'started', kind: 'authentication', mode: null });
        const before = Date.now();
        const first = await store.claimIf!(claim);
        assert.equal(first.claimed, true);
        assert.equal(first.record, json);
        assert.equal(first.hit?.count, 1);
        assert.ok(Math.abs(first.hit!.resetAt - (before + 3_000)) <= RESET_AT_SLACK_MS, `the window ends with the record: ${first.hit!.resetAt - before} ms`);
        assert.equal(await store.get(marker), 'mine');
        assert.deepEqual(await store.claimIf!(claim), { record: json, claimed: false });
        assert.equal((await store.hit(counter, 5_000)).count, 2, 'the refused claim counted nothing');
        await store.delete(marker);
        const again = await store.claimIf!({ ...claim, counter: { key: counter, windowMs: 60_000 } });
        assert.equal(again.hit?.count, 3, 'the same window goes on');
      });

      test('the marker expires with its TTL; then the record may be claimed again', async () => {
        const { store, elapse, timeScale = 1 } = await make();
        const record = key();
        await store.set(record, '{"state":"started"}', 10_000);
        const { claim } = claimOf(record, { state: 'started' });
        assert.equal((await store.claimIf!({ ...claim, marker: { ...claim.marker, ttlMs: 100 * timeScale } })).claimed, true);
        assert.equal((await store.claimIf!(claim)).claimed, false);
        await elapse(150 * timeScale);
        assert.equal((await store.claimIf!(claim)).claimed, true);
      });

      test('twenty concurrent claims of one record: exactly one takes it and only it is counted', async () => {
        const { store } = await make();
        const record = key();
        await store.set(record, '{"state":"started"}', 10_000);
        const { claim, counter } = claimOf(record, { state: 'started' });
        const results = await Promise.all(Array.from({ length: 20 }, () => store.claimIf!(claim)));
        assert.equal(results.filter((result) => result.claimed).length, 1);
        assert.equal((await store.hit(counter, 10_000)).count, 2);
      });
    });

    test('concurrent hits are all counted', async () => {
      const { store } = await make();
      const k = key();
      const counts = await Promise.all(Array.from({ length: 25 }, () => store.hit(k, 5_000)));
      assert.deepEqual(counts.map((hit) => hit.count).sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i + 1));
    });
  });
}
