/**
 * `npm run bench` still runs end to end (a few rounds, figures not judged:
 * speed is read from the script's output, never asserted in a test),
 * including the Redis store's lines against a real redis-server — or, on a
 * machine without one, a line that says so and why.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { redisServerMissing } from '../support/redis-server.js';

test('the proxy benchmark completes and prints its ratios, the Redis store beside the memory store', { timeout: 180_000 }, async (t) => {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/bench.ts'], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_ROUNDS: '4', BENCH_CONCURRENCY: '2' },
  });
  assert.match(stdout, /ratio proxy\/direct \d+\.\d+x/);
  assert.match(stdout, /direct [\d.]+ +proxy [\d.]+ +ratio proxy\/direct \d+\.\d+x/);

  const missing = redisServerMissing();
  if (missing) assert.ok(stdout.includes(`Redis store: skipped (${missing})`), stdout);
  await t.test('with the Redis store: latency, its cost per ceremony, throughput', { skip: missing }, () => {
    assert.match(stdout, /^proxy \+ Redis +[\d.]+ +[\d.]+ +[\d.]+$/m);
    assert.match(stdout, /added by Redis +-?[\d.]+ ms at p50 per ceremony; ratio redis\/memory \d+\.\d+x/);
    assert.match(stdout, /memory store [\d.]+ +Redis store [\d.]+ +ratio redis\/memory \d+\.\d+x/);
  });
});
