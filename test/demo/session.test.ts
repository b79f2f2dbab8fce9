/** The demo's signed session cookie. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionCookies, SESSION_COOKIE } from '../../demo/session.js';

const userId = '0b6c3f5e-6f1e-4a39-9d6b-2f1f7b0c9a11';

/** The `name=value` a browser would send back for a `Set-Cookie`. */
const sentBack = (setCookie: string): string => setCookie.split(';')[0] ?? '';

test('a cookie it issued reads back as the user, with HttpOnly, SameSite=Lax and Path=/', () => {
  const cookies = createSessionCookies({ secret: 'test-secret' });
  const setCookie = cookies.issue(userId);
  assert.match(setCookie, new RegExp(`^${SESSION_COOKIE}=`));
  for (const attribute of ['HttpOnly', 'SameSite=Lax', 'Path=/']) assert.ok(setCookie.includes(attribute), attribute);
  assert.equal(cookies.read(`other=1; ${sentBack(setCookie)}`), userId);
});

test('a tampered, foreign, expired or cleared cookie reads as signed out', () => {
  let now = Date.UTC(2030, 0, 1);
  const cookies = createSessionCookies({ secret: 'test-secret', now: () => now });
  const value = sentBack(cookies.issue(userId));

  const [name, payload = ''] = value.split('=');
  const [id = '', expires = '', signature = ''] = payload.split('.');
  const otherUser = `${name}=${encodeURIComponent('a-different-user')}.${expires}.${signature}`;
  const longerLife = `${name}=${id}.${Number(expires) + 1}.${signature}`;
  const flippedSignature = `${name}=${id}.${expires}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
  for (const forged of [otherUser, longerLife, flippedSignature, `${name}=${id}.${expires}`, `${name}=`, '']) {
    assert.equal(cookies.read(forged), undefined, forged);
  }

  const otherKey = createSessionCookies({ secret: 'another-secret', now: () => now });
  assert.equal(otherKey.read(value), undefined, 'signed with another key');

  assert.equal(cookies.read(sentBack(cookies.clear())), undefined, 'cleared');

  now += 8 * 24 * 60 * 60 * 1000;
  assert.equal(cookies.read(value), undefined, 'expired after a week');
});

test('without a secret each start signs with its own random key', () => {
  const first = createSessionCookies();
  const second = createSessionCookies();
  const value = sentBack(first.issue(userId));
  assert.equal(first.read(value), userId);
  assert.equal(second.read(value), undefined);
});
