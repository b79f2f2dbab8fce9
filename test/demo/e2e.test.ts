/**
 * The demo end to end, as a visitor: Chromium with a virtual authenticator →
 * the demo's pages → the proxy → the emulator, with real WebAuthn
 * verification. Sign up, sign out, sign in, remove the passkey, and the next
 * sign-in shows the `no-passkey` message.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { RunningDemo } from '../../demo/server.js';
import { startTestDemo } from './demo-stack.js';
import { en } from '../../src/elements/locales/en.js';
import { launchBrowser, newPageWithAuthenticator, waitForElements, type LaunchedBrowser } from './browser.js';

let demo: RunningDemo;
let chromium: LaunchedBrowser;
let page: Page;
let stack: Awaited<ReturnType<typeof startTestDemo>> | undefined;

const email = `ada-${randomUUID()}@example.com`;

before(async () => {
  stack = await startTestDemo();
  ({ demo } = stack);
  chromium = await launchBrowser();
  page = await newPageWithAuthenticator(chromium.browser);
});

after(async () => {
  await chromium?.close();
  await stack?.close();
});

async function open(pathname: string, tags: string[]): Promise<void> {
  const response = await page.goto(`${demo.url}${pathname}`, { waitUntil: 'load' });
  // 304 when the browser revalidates a page it saw earlier in the test.
  assert.ok([200, 304].includes(response?.status() ?? 0), `GET ${pathname} answered ${response?.status()}`);
  await waitForElements(page, tags);
}

/** Clicks and waits for the page the click leads to. */
async function clickAndWaitForPath(selector: string, pathname: string): Promise<void> {
  await page.click(selector);
  await page.waitForFunction((expected: string) => window.location.pathname === expected && document.readyState === 'complete', {}, pathname);
}

async function text(selector: string): Promise<string> {
  const handle = await page.waitForSelector(selector, { visible: true });
  assert.ok(handle, `${selector} is shown`);
  return (await handle.evaluate((element) => element.textContent ?? '')).trim();
}

async function signIn(): Promise<void> {
  await open('/', ['sendauth-login']);
  await page.type('sendauth-login >>> #username', email);
  await page.click('sendauth-login >>> button[part~="button"]');
}

async function signOut(): Promise<void> {
  await clickAndWaitForPath('#sign-out', '/');
  assert.equal(await text('#page-notice'), 'You are signed out. See you soon!');
}

test('sign up, sign out, sign in, remove the passkey: the next sign-in says there is no passkey', { timeout: 300_000 }, async (t) => {
  await t.test('sign up with a passkey lands on the account page, signed in', async () => {
    await open('/signup', ['sendauth-register']);
    await page.type('sendauth-register >>> #firstName', 'Ada');
    await page.type('sendauth-register >>> #lastName', 'Lovelace');
    await page.type('sendauth-register >>> #email', email);
    await clickAndWaitForPath('sendauth-register >>> button[part~="button"]', '/account');

    assert.equal(await text('#greeting'), 'Welcome, Ada!');
    assert.equal(await text('#me-email'), email);
    assert.match(await text('#passkey-yes'), /You have a passkey/);

    const [cookie] = (await page.cookies()).filter((c) => c.name === 'demo_session');
    assert.ok(cookie, 'the session cookie is set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');
  });

  await t.test('sign out clears the session', async () => {
    await signOut();
    assert.equal((await page.cookies()).filter((c) => c.name === 'demo_session').length, 0);
    await open('/account', ['sendauth-register']);
    assert.equal(await text('#signed-out h1'), 'You are not signed in');
  });

  await t.test('sign in with the passkey', async () => {
    await signIn();
    await page.waitForFunction(() => window.location.pathname === '/account');
    assert.equal(await text('#greeting'), 'Hello, Ada');
    assert.equal(await text('#me-email'), email);
  });

  await t.test('a failed page-level request says what happened on the page', async () => {
    // The session ends behind the page's back (say the server restarted): the page says so.
    const [cookie] = (await page.cookies()).filter((c) => c.name === 'demo_session');
    assert.ok(cookie);
    await page.deleteCookie(cookie);
    await page.click('#remove-passkey');
    assert.equal(await text('#page-error'), 'Your session has ended. Sign in again to manage your passkey.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-error', 'the message takes the focus');
    await page.setCookie(cookie);
  });

  await t.test('remove the passkey', async () => {
    await page.click('#remove-passkey');
    await page.waitForSelector('#page-error', { hidden: true });
    // "Removing your passkey…" first, then the outcome.
    await page.waitForFunction(() => document.querySelector('#page-status')?.textContent?.trim() !== 'Removing your passkey…');
    assert.equal(await text('#page-status'), 'Your passkey was removed.');
    assert.match(await text('#passkey-no'), /You have no passkey yet/);
    assert.equal(await page.$eval('#remove-passkey', (button) => (button as HTMLElement).hidden), true);
    // The account page now offers to add one.
    await page.waitForSelector('#add-passkey', { visible: true });
  });

  await t.test('sign in again: the element shows the no-passkey message', async () => {
    await signOut();
    await signIn();
    assert.equal(await text('sendauth-login >>> [part~="error"]'), en.errors['no-passkey']);
    assert.equal(new URL(page.url()).pathname, '/', 'the visitor stays on the sign-in page');
  });
});

test('POST /logout only from this site, as JSON', async () => {
  const json = { 'Content-Type': 'application/json' };
  const crossSite = await fetch(`${demo.url}/logout`, { method: 'POST', headers: { ...json, Origin: 'http://evil.example' }, body: '{}' });
  assert.equal(crossSite.status, 403);
  assert.equal(((await crossSite.json()) as { error: { code: string } }).error.code, 'forbidden');
  assert.equal(crossSite.headers.get('set-cookie'), null);

  const form = await fetch(`${demo.url}/logout`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: demo.url },
    body: '',
  });
  assert.equal(form.status, 403);

  const get = await fetch(`${demo.url}/logout`);
  assert.equal(get.status, 405);

  const ok = await fetch(`${demo.url}/logout`, { method: 'POST', headers: { ...json, Origin: demo.url }, body: '{}' });
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('set-cookie') ?? '', /^demo_session=; .*Max-Age=0/);
});

test('every page is served with a strict Content-Security-Policy', async () => {
  for (const pathname of ['/', '/drop-in', '/sendauth/me']) {
    const response = await fetch(`${demo.url}${pathname}`);
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'; style-src 'self'/, pathname);
  }
});
