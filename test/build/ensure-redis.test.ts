/**
 * `scripts/ensure-redis.sh`, run by `npm test` before anything else: on a
 * machine without redis-server it installs Debian's package where there is
 * apt, and elsewhere (macOS, another Linux) stops with what to install or set,
 * never with a shell's "command not found". Runs the real script under bash
 * with a PATH that holds only what each case needs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/ensure-redis.sh', import.meta.url));
let bin: string;

before(async () => {
  bin = await mkdtemp(path.join(os.tmpdir(), 'ensure-redis-'));
  await symlink('/usr/bin/id', path.join(bin, 'id')); // the script asks who runs it; nothing else is on PATH
});
after(() => rm(bin, { recursive: true, force: true }));

function runScript(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/bash', [script], { env: { PATH: bin, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('no redis-server and no apt-get: it stops and says what to install or set', async () => {
  const { code, stderr } = await runScript({});
  assert.equal(code, 1);
  assert.match(stderr, /need redis-server/);
  assert.match(stderr, /brew install redis/);
  assert.match(stderr, /REDIS_SERVER/);
  assert.doesNotMatch(stderr, /command not found/);
});

test('REDIS_SERVER naming no executable: it says so', async () => {
  const { code, stderr } = await runScript({ REDIS_SERVER: '/nowhere/redis-server' });
  assert.equal(code, 1);
  assert.match(stderr, /REDIS_SERVER=\/nowhere\/redis-server is not an executable/);
});

test('a redis-server on PATH: nothing to do', async () => {
  const fake = path.join(bin, 'redis-server');
  await writeFile(fake, '#!/bin/sh\nexit 0\n');
  await chmod(fake, 0o755);
  try {
    assert.deepEqual(await runScript({}), { code: 0, stdout: '', stderr: '' });
  } finally {
    await rm(fake);
  }
});
