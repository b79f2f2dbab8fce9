/**
 * The respond page over HTTP, as its script calls it: the link's secret is
 * required, the endpoints are CSRF-safe, a real ceremony on the emulator's own
 * origin verifies (a registration TX creates the passkey), Deny denies, and a
 * TX that is no longer pending is refused in words a person reads.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, User } from '../../src/types.js';
import type { OutboxEntry } from '../../src/emulator/outbox.js';
import { startTestEmulator, TEST_ORIGIN, type TestEmulator } from '../support/emulator-fixture.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { createUser, linkPath, linkSecret, outboxEntry, respondCall, txState } from './helpers.js';

const TTL = 60_000;
let t: TestEmulator;
before(async () => {
  t = await startTestEmulator({ txTtlMs: TTL });
});
after(() => t.close());

/** The secret with its last character changed. */
function wrongSecret(secret: string): string {
  return `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
}

async function notification(userId: string, kind: 'register' | 'authenticate', body?: object): Promise<OutboxEntry> {
  const res = await t.request<{ tx: string }>('POST', `/api/v1/users/${userId}/${kind}`, body === undefined ? {} : { body });
  assert.equal(res.status, 201, res.text);
  return outboxEntry(t, res.body.tx);
}

/** Registers a passkey through a registration TX's respond page; returns the authenticator (on the page's origin). */
async function enrolThroughPage(userId: string): Promise<SoftAuthenticator> {
  const entry = await notification(userId, 'register');
  const authenticator = new SoftAuthenticator({ origin: new URL(entry.link).origin });
  const options = await respondCall<{ kind: string; options: PublicKeyCredentialCreationOptionsJSON }>(t, entry, 'options');
  assert.equal(options.status, 200, options.text);
  assert.equal(options.body.kind, 'registration');
  const done = await respondCall(t, entry, 'response', { response: await authenticator.register(options.body.options) });
  assert.equal(done.status, 200, done.text);
  assert.deepEqual(done.body, { state: 'verified', message: 'This request was approved. You can close this page.' });
  return authenticator;
}

describe('GET /respond/{tx}', () => {
  it('shows the message (escaped), whose request it is, and Approve and Deny, only with the right secret', async () => {
    const user = await createUser(t);
    await enrolThroughPage(user.id);
    const entry = await notification(user.id, 'authenticate', { message: 'Pay <b>€120</b> to "Acme" & co' });
    const page = await t.request<string>('GET', linkPath(entry.link), { auth: false });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer', 'the secret never leaves in a Referer');
    assert.ok(page.text.includes('Pay &#60;b&#62;€120&#60;/b&#62; to &#34;Acme&#34; &#38; co'), page.text);
    assert.ok(!page.text.includes('<b>'));
    assert.ok(page.text.includes(`${user.firstName} ${user.lastName} (${user.email})`));
    assert.match(page.text, /<button id="approve"[^>]*>Approve with your passkey<\/button>/);
    assert.match(page.text, /<button id="deny"[^>]*>Deny<\/button>/);
    assert.doesNotMatch(page.text, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline script');

    const wrong = new URL(entry.link);
    wrong.searchParams.set('secret', wrongSecret(linkSecret(entry.link)));
    const refusals = [
      `/respond/${entry.tx}`,
      `/respond/${entry.tx}?secret=`,
      linkPath(wrong.href),
      `/respond/${randomUUID()}${new URL(entry.link).search}`,
      `/respond/not-a-tx${new URL(entry.link).search}`,
    ];
    const bodies = new Set<string>();
    for (const path of refusals) {
      const res = await t.request<string>('GET', path, { auth: false });
      assert.equal(res.status, 403, path);
      assert.match(res.text, /This link is not valid/);
      assert.ok(!res.text.includes('€120'), 'nothing of the TX is shown');
      bodies.add(res.text);
    }
    assert.equal(bodies.size, 1, 'an unknown TX and a wrong secret look the same');
  });

  it('says so when the TX is no longer pending, without buttons to press', async () => {
    const user = await createUser(t);
    const entry = await notification(user.id, 'register');
    await t.request('DELETE', `/api/v1/transactions/${entry.tx}/cancel`);
    const page = await t.request<string>('GET', linkPath(entry.link), { auth: false });
    assert.equal(page.status, 200);
    assert.match(page.text, /data-state="cancelled"/);
    assert.match(page.text, /This request was cancelled where it was made/);
    assert.match(page.text, /<div class="actions" hidden>/);
  });
});

describe('the respond endpoints', () => {
  it('register a passkey through a registration TX, then approve an authentication TX with it: check says verified', async () => {
    const user = await createUser(t);
    const authenticator = await enrolThroughPage(user.id);
    assert.equal(authenticator.credentials[0]?.rpId, 'localhost');
    assert.equal((await t.request<User>('GET', `/api/v1/users/${user.id}`)).body.hasPasskeys, true, 'the registration TX created the passkey');

    const entry = await notification(user.id, 'authenticate', { message: 'Sign in to Acme' });
    const options = await respondCall<{ kind: string; options: PublicKeyCredentialRequestOptionsJSON; expiresAt: string }>(t, entry, 'options');
    assert.equal(options.status, 200, options.text);
    assert.equal(options.body.kind, 'authentication');
    assert.equal(options.body.expiresAt, entry.expiresAt);
    assert.deepEqual(options.body.options.allowCredentials?.map((c) => c.id), authenticator.credentials.map((c) => c.id));
    const again = await respondCall<{ options: unknown }>(t, entry, 'options');
    assert.deepEqual(again.body.options, options.body.options, 'one challenge per TX');

    const done = await respondCall(t, entry, 'response', { response: await authenticator.authenticate(options.body.options) });
    assert.equal(done.status, 200, done.text);
    assert.equal((done.body as { state: string }).state, 'verified');
    assert.equal(await txState(t, entry.tx), 'verified');
    const audits = await t.request<{ rows: { action: string; actor: string }[] }>('GET', `/api/v1/users/${user.id}/audits?q=authenticated`);
    assert.equal(audits.body.rows[0]?.actor, user.username, 'the user acted, not the API account');
  });

  it('accepts only responses made on the respond page itself (another origin is denied)', async () => {
    const user = await createUser(t);
    const entry = await notification(user.id, 'register');
    const elsewhere = new SoftAuthenticator({ origin: TEST_ORIGIN });
    const options = await respondCall<{ options: PublicKeyCredentialCreationOptionsJSON }>(t, entry, 'options');
    const res = await respondCall<{ error: string; state: string }>(t, entry, 'response', { response: await elsewhere.register(options.body.options) });
    assert.equal(res.status, 400);
    assert.equal(res.body.state, 'denied');
    assert.match(res.body.error, /could not be verified .*Origin "http:\/\/localhost:5173" is not allowed.*denied/);
    assert.equal(await txState(t, entry.tx), 'denied');
    assert.equal((await t.request<User>('GET', `/api/v1/users/${user.id}`)).body.hasPasskeys, false);
  });

  it('refuse a body that is not a WebAuthn response, leaving the TX pending', async () => {
    const user = await createUser(t);
    const entry = await notification(user.id, 'register');
    await respondCall(t, entry, 'options');
    const res = await respondCall<{ state: string }>(t, entry, 'response', { response: { id: 'x' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.state, 'pending');
    assert.equal(await txState(t, entry.tx), 'pending');
  });

  it('deny: the TX is denied; then every endpoint refuses it with a clear message', async () => {
    const user = await createUser(t);
    const entry = await notification(user.id, 'register');
    const denied = await respondCall(t, entry, 'deny');
    assert.equal(denied.status, 200, denied.text);
    assert.deepEqual(denied.body, { state: 'denied', message: 'This request was denied. You can close this page.' });
    assert.equal(await txState(t, entry.tx), 'denied');
    for (const action of ['options', 'deny', 'response'] as const) {
      const res = await respondCall<{ error: string; state: string }>(t, entry, action, { response: {} });
      assert.equal(res.status, 409, action);
      assert.deepEqual(res.body, { error: 'This request was denied. You can close this page.', state: 'denied' });
    }
    const cancel = await t.request('DELETE', `/api/v1/transactions/${entry.tx}/cancel`);
    assert.equal(cancel.status, 400, 'a denied TX cannot be cancelled');
  });

  it('refuses an approved or cancelled TX (409) and an expired one (410), and they stay so', async () => {
    const user = await createUser(t);
    const approved = await notification(user.id, 'register');
    const authenticator = new SoftAuthenticator({ origin: new URL(approved.link).origin });
    const options = await respondCall<{ options: PublicKeyCredentialCreationOptionsJSON }>(t, approved, 'options');
    await respondCall(t, approved, 'response', { response: await authenticator.register(options.body.options) });
    const deny = await respondCall<{ error: string; state: string }>(t, approved, 'deny');
    assert.equal(deny.status, 409);
    assert.deepEqual(deny.body, { error: 'This request was approved. You can close this page.', state: 'verified' });
    assert.equal(await txState(t, approved.tx), 'verified');

    const cancelled = await notification(user.id, 'authenticate');
    await t.request('DELETE', `/api/v1/transactions/${cancelled.tx}/cancel`);
    const late = await respondCall<{ error: string; state: string }>(t, cancelled, 'options');
    assert.equal(late.status, 409);
    assert.equal(late.body.state, 'cancelled');
    assert.match(late.body.error, /cancelled/);

    const expiring = await notification(user.id, 'authenticate');
    t.clock.advance(TTL);
    for (const action of ['options', 'deny'] as const) {
      const res = await respondCall<{ error: string; state: string }>(t, expiring, action);
      assert.equal(res.status, 410, action);
      assert.deepEqual(res.body, { error: 'This request expired. Start again where you made it.', state: 'expired' });
    }
    assert.equal(await txState(t, expiring.tx), 'expired');
    const page = await t.request<string>('GET', linkPath(expiring.link), { auth: false });
    assert.match(page.text, /data-state="expired"/);
  });

  it('need the link\'s secret: missing or wrong → 403, and the TX is untouched', async () => {
    const user = await createUser(t);
    const entry = await notification(user.id, 'register');
    const secret = linkSecret(entry.link);
    for (const given of [undefined, '', 'x', wrongSecret(secret), secret.slice(0, -1), `${secret}A`, 42]) {
      for (const action of ['options', 'deny'] as const) {
        const res = await respondCall<{ error: string }>(t, entry, action, { secret: given });
        assert.equal(res.status, 403, `${action} with ${JSON.stringify(given)}`);
        assert.match(res.body.error, /link is not valid/);
      }
    }
    const unknown = await respondCall(t, { tx: randomUUID(), link: entry.link }, 'deny');
    assert.equal(unknown.status, 403, 'an unknown TX looks like a wrong secret');
    assert.equal(await txState(t, entry.tx), 'pending');
  });

  it('are CSRF-safe: JSON only (415), from the page\'s own origin only (403)', async () => {
    const user = await createUser(t);
    const entry = await notification(user.id, 'register');
    const secret = new URL(entry.link).searchParams.get('secret');
    const form = await t.request('POST', `/respond/${entry.tx}/deny`, {
      auth: false,
      body: `secret=${secret}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(entry.link).origin },
    });
    assert.equal(form.status, 415);
    const plain = await respondCall(t, entry, 'deny', {}, { 'Content-Type': 'text/plain' });
    assert.equal(plain.status, 415);
    const crossSite: Record<string, string>[] = [
      { Origin: 'http://localhost:5173' },
      { Origin: `http://127.0.0.1:${t.emulator.port}` },
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const res = await respondCall<{ error: string }>(t, entry, 'deny', {}, headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(res.body.error, /must come from the respond page itself/);
    }
    const noOrigin = await t.request('POST', `/respond/${entry.tx}/deny`, { auth: false, body: { secret } });
    assert.equal(noOrigin.status, 403, 'no Origin header');
    assert.equal(await txState(t, entry.tx), 'pending', 'nothing was denied');
    const wrongMethod = await t.request('GET', `/respond/${entry.tx}/deny`, { auth: false });
    assert.equal(wrongMethod.status, 405);
    const huge = await respondCall(t, entry, 'response', { response: 'x'.repeat(200 * 1024) });
    assert.equal(huge.status, 413, 'bodies over 100 KB');
    assert.equal(await txState(t, entry.tx), 'pending');
  });
});
