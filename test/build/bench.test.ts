/**
 * `npm run bench` still runs end to end (a few rounds, figures not judged:
 * speed is read from the script's output, never asserted in a test).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

test('the proxy benchmark completes and prints its ratios', { timeout: 120_000 }, async () => {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/bench.ts'], {
    cwd: repoRoot,
    env: { ...process.env, BENCH_ROUNDS: '4', BENCH_CONCURRENCY: '2' },
  });
  assert.match(stdout, /ratio proxy\/direct \d+\.\d+x/);
  assert.match(stdout, /direct [\d.]+ +proxy [\d.]+ +ratio proxy\/direct \d+\.\d+x/);
});
