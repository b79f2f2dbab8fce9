/**
 * The outbox: every TX the emulator creates is a notification, listed newest
 * first at `/outbox.json` (and `RunningEmulator.outbox()`), without basic
 * auth, with a link to its respond page on the RP's host and the emulator's
 * port that carries a 256-bit secret found nowhere in the API's answers.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import type { OutboxEntry } from '../../src/emulator/outbox.js';
import { rawRequest } from '../support/raw-http.js';
import { startTestEmulator, TEST_ORIGIN, type TestEmulator } from '../support/emulator-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { createUser, linkPath, linkSecret, outboxEntry, readOutbox, registerPasskey } from './helpers.js';

let t: TestEmulator;
const notified: OutboxEntry[] = [];
before(async () => {
  t = await startTestEmulator({ onNotification: (entry) => notified.push(entry) });
});
after(() => t.close());

async function startTx(userId: string, kind: 'register' | 'authenticate', body?: object): Promise<string> {
  const res = await t.request<{ tx: string }>('POST', `/api/v1/users/${userId}/${kind}`, body === undefined ? {} : { body });
  assert.equal(res.status, 201, res.text);
  return res.body.tx;
}

describe('GET /outbox.json', () => {
  it('lists each registration and authentication TX as a notification, newest first, with the documented fields', async () => {
    const user = await createUser(t);
    const register = await startTx(user.id, 'register');
    await registerPasskey(t, user.id, new SoftAuthenticator({ origin: TEST_ORIGIN }));
    const signIn = await startTx(user.id, 'authenticate', { message: 'Sign in to Acme from Firefox on Linux. Code 42' });
    const plain = await startTx(user.id, 'authenticate');

    const res = await t.request<OutboxEntry[]>('GET', '/outbox.json', { auth: false });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const mine = res.body.filter((entry) => entry.userId === user.id);
    // registerPasskey made one more registration TX (verified) after `register`.
    assert.deepEqual(mine.map((entry) => entry.tx).filter((tx) => [plain, signIn, register].includes(tx)), [plain, signIn, register]);
    assert.equal(mine.length, 4);
    assert.equal(res.body[0]?.tx, plain, 'the newest notification comes first');

    const signInEntry = mine.find((entry) => entry.tx === signIn)!;
    assert.deepEqual(Object.keys(signInEntry).sort(), ['channels', 'createdAt', 'email', 'expiresAt', 'kind', 'link', 'message', 'phone', 'state', 'tx', 'userId']);
    assert.equal(signInEntry.kind, 'authentication');
    assert.equal(signInEntry.email, user.email);
    assert.equal(signInEntry.phone, null);
    assert.deepEqual(signInEntry.channels, ['email'], 'email when no messagingPreference is set');
    assert.equal(signInEntry.message, 'Sign in to Acme from Firefox on Linux. Code 42', "the WebTX's message");
    assert.equal(signInEntry.state, 'pending');
    assert.equal(Date.parse(signInEntry.expiresAt) - Date.parse(signInEntry.createdAt), 300_000, 'TXs expire after five minutes');

    const registerEntry = mine.find((entry) => entry.tx === register)!;
    assert.equal(registerEntry.kind, 'registration');
    assert.equal(registerEntry.message, 'Create a passkey for your account.', 'register_user takes no WebTX: a default text');
    assert.equal(mine.find((entry) => entry.tx === plain)!.message, 'Someone asked to sign in to your account. Approve only if it was you.');
  });

  it('shows the state now: verified after the ceremony, expired once the clock passes expiresAt', async () => {
    const user = await createUser(t);
    await registerPasskey(t, user.id, new SoftAuthenticator({ origin: TEST_ORIGIN }));
    const [enrolment] = (await readOutbox(t)).filter((entry) => entry.userId === user.id);
    assert.equal(enrolment?.state, 'verified');

    const tx = await startTx(user.id, 'authenticate');
    t.clock.advance(300_000);
    assert.equal((await outboxEntry(t, tx)).state, 'expired');
  });

  it('sends by messagingPreference: sms to the phone, both, and falls back to the address the user has', async () => {
    const cases: [object, string[]][] = [
      [{ phone: '+15550001', messagingPreference: 'sms' }, ['sms']],
      [{ phone: '+15550002', messagingPreference: 'both' }, ['email', 'sms']],
      [{ messagingPreference: 'both' }, ['email']],
      [{ messagingPreference: 'sms' }, ['email']],
      [{ phone: '+15550003', email: undefined, messagingPreference: 'email' }, ['sms']],
    ];
    for (const [fields, channels] of cases) {
      const user = await createUser(t, fields);
      const entry = await outboxEntry(t, await startTx(user.id, 'register'));
      assert.deepEqual(entry.channels, channels, JSON.stringify(fields));
      assert.equal(entry.phone, user.phone ?? null);
      assert.equal(entry.email, user.email ?? null);
    }
  });

  it('links to the respond page on the RP host (localhost, never 127.0.0.1) and the emulator port, with a fresh 256-bit base64url secret', async () => {
    const user = await createUser(t);
    const txs = [await startTx(user.id, 'register'), await startTx(user.id, 'register'), await startTx(user.id, 'register')];
    const secrets = new Set<string>();
    for (const tx of txs) {
      const link = new URL((await outboxEntry(t, tx)).link);
      assert.equal(link.protocol, 'http:');
      assert.equal(link.hostname, 'localhost');
      assert.equal(Number(link.port), t.emulator.port);
      assert.equal(link.pathname, `/respond/${tx}`);
      assert.deepEqual([...link.searchParams.keys()], ['secret']);
      const secret = linkSecret(link.href);
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 bytes in base64url');
      assert.equal(Buffer.from(secret, 'base64url').length, 32);
      secrets.add(secret);
    }
    assert.equal(secrets.size, 3, 'every TX has its own secret');
  });

  it('matches RunningEmulator.outbox() and what onNotification was told as each TX was created', async () => {
    const user = await createUser(t);
    const tx = await startTx(user.id, 'register');
    assert.deepEqual(t.emulator.outbox(), await readOutbox(t));
    const told = notified.find((entry) => entry.tx === tx);
    assert.deepEqual(told, await outboxEntry(t, tx));
    assert.equal(t.emulator.outboxUrl, `http://localhost:${t.emulator.port}/outbox`);
    assert.equal(t.emulator.publicUrl, `http://localhost:${t.emulator.port}`);
  });

  it('never shows the secret in the authenticated API', async () => {
    const user = await createUser(t, { phone: '+15550009', messagingPreference: 'both' });
    const register = await t.request('POST', `/api/v1/users/${user.id}/register`);
    const { tx } = register.body as { tx: string };
    const secret = linkSecret((await outboxEntry(t, tx)).link);
    const answers = [
      register.text,
      (await t.request('GET', `/api/v1/transactions/${tx}/check`)).text,
      (await t.request('GET', `/api/v1/transactions/${tx}/webauthn`)).text,
      (await t.request('GET', `/api/v1/users/${user.id}`)).text,
      (await t.request('GET', `/api/v1/users/${user.id}/transactions`)).text,
      (await t.request('GET', `/api/v1/users/${user.id}/audits`)).text,
      (await t.request('GET', `/api/v1/users?q=${user.firstName}`)).text,
      (await t.request('DELETE', `/api/v1/transactions/${tx}/cancel`)).text,
    ];
    for (const text of answers) assert.ok(!text.includes(secret), text);
  });

  it('drops the notifications of a user destroyed for good', async () => {
    const user = await createUser(t);
    const tx = await startTx(user.id, 'register');
    assert.equal((await t.request('DELETE', `/api/v1/users/${user.id}`)).status, 200);
    assert.equal((await outboxEntry(t, tx)).state, 'cancelled', 'deleting the user cancels its pending TX');
    assert.equal((await t.request('DELETE', `/api/v1/users/deleted/${user.id}`)).status, 200);
    assert.ok(!(await readOutbox(t)).some((entry) => entry.tx === tx));
  });
});

describe('GET /outbox', () => {
  it('is an HTML page without inline script or style, under a strict CSP, its script and style served as files', async () => {
    const res = await t.request<string>('GET', '/outbox', { auth: false, headers: { Accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.doesNotMatch(res.text, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');
    assert.doesNotMatch(res.text, /<style|\sstyle=|\son\w+=/, 'no inline style or handler');
    const assets = [...res.text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    assert.deepEqual(assets.sort(), ['/assets/favicon.svg', '/assets/outbox.js', '/assets/pages.css']);
    for (const asset of assets) {
      const file = await t.request('GET', asset, { auth: false });
      assert.equal(file.status, 200, asset);
      assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  it('answers only requests addressed to the emulator by name (a rebound DNS name gets 403)', async () => {
    const rebound = await rawRequest(`${t.url}/outbox.json`, { headers: { host: `attacker.example:${t.emulator.port}` } });
    assert.equal(rebound.status, 403);
    assert.ok(!rebound.body.includes('secret='));
    const local = await rawRequest(`${t.url}/outbox.json`, { headers: { host: `localhost:${t.emulator.port}` } });
    assert.equal(local.status, 200);
  });

  it('still needs basic auth for the API and unknown paths', async () => {
    assert.equal((await t.request('GET', '/api/v1/users', { auth: false })).status, 401);
    assert.equal((await t.request('GET', '/nothing-here', { auth: false })).status, 401);
  });
});

describe('with a dataFile', () => {
  it('keeps the notifications across a restart; their links follow the new port and still open the respond page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sendauth-outbox-'));
    try {
      const dataFile = join(dir, 'state.json');
      const first = await startTestEmulator({ dataFile });
      const user = await createUser(first);
      const { tx } = (await first.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`)).body;
      const before = await outboxEntry(first, tx);
      await first.close();

      const second = await startTestEmulator({ dataFile });
      try {
        const after = await outboxEntry(second, tx);
        assert.equal(linkSecret(after.link), linkSecret(before.link));
        assert.equal(new URL(after.link).port, String(second.emulator.port));
        const page = await second.request<string>('GET', linkPath(after.link), { auth: false });
        assert.equal(page.status, 200);
        assert.match(page.text, /data-state="pending"/);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('onNotification', () => {
  it('that throws is logged and fails nothing: the TX is created and in the outbox', async () => {
    const logged = mock.method(console, 'error', () => undefined);
    const throwing = await startTestEmulator({
      onNotification: () => {
        throw new Error('listener broke');
      },
    });
    try {
      const user = await createUser(throwing);
      const res = await throwing.request<{ tx: string }>('POST', `/api/v1/users/${user.id}/register`);
      assert.equal(res.status, 201);
      assert.equal((await outboxEntry(throwing, res.body.tx)).state, 'pending');
      assert.equal(logged.mock.callCount(), 1);
      assert.match(String(logged.mock.calls[0]?.arguments[0]), /onNotification failed/);
    } finally {
      logged.mock.restore();
      await throwing.close();
    }
  });
});

describe('publicUrl', () => {
  it('sets the links base; its host must be the RP ID or a subdomain (checked before listening)', async () => {
    const emulator = await startEmulator({ port: 0, rpID: 'example.test', publicUrl: 'https://auth.example.test:8443' });
    try {
      assert.equal(emulator.outboxUrl, 'https://auth.example.test:8443/outbox');
    } finally {
      await emulator.close();
    }
    await assert.rejects(startEmulator({ port: 0, publicUrl: 'http://127.0.0.1:9999' }), /RP ID localhost/);
    await assert.rejects(startEmulator({ port: 0, publicUrl: 'http://localhost:9999/sub' }), /no path/);
    await assert.rejects(startEmulator({ port: 0, publicUrl: 'ftp://localhost' }), /http/);
  });
});
