/**
 * The outbox and the respond page in Chromium with a virtual authenticator,
 * as a developer uses them against an emulator that serves only the public
 * spec: the outbox page shows each new notification by itself; a passkey is
 * created through a registration TX's respond page, an authentication TX is
 * approved with it through its respond page, another is denied there, and
 * `check` says `verified` / `denied`. No console error, no CSP violation.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { User } from '../../src/types.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator-fixture.js';
import { launchBrowser, newPageWithAuthenticator, recordPageProblems, type LaunchedBrowser } from '../demo/browser.js';
import { createUser, txState } from './helpers.js';

let t: TestEmulator;
let chromium: LaunchedBrowser;
let page: Page;
let problems: string[];

before(async () => {
  t = await startTestEmulator({ ceremonyEndpoints: false });
  chromium = await launchBrowser();
  page = await newPageWithAuthenticator(chromium.browser);
  problems = recordPageProblems(page);
});

after(async () => {
  await chromium?.close();
  await t?.close();
});

async function startTx(userId: string, kind: 'register' | 'authenticate', body?: object): Promise<string> {
  const res = await t.request<{ tx: string }>('POST', `/api/v1/users/${userId}/${kind}`, body === undefined ? {} : { body });
  assert.equal(res.status, 201, res.text);
  return res.body.tx;
}

async function text(selector: string): Promise<string> {
  return page.$eval(selector, (element) => element.textContent?.trim() ?? '');
}

/** Waits for the open outbox page to show the TX's notification (it updates by itself); returns the entry's text and link. */
async function notificationOnOutbox(tx: string): Promise<{ text: string; link: string }> {
  const item = await page.waitForSelector(`li[data-tx="${tx}"]`, { timeout: 30_000 });
  assert.ok(item);
  return item.evaluate((element) => ({ text: element.textContent ?? '', link: element.querySelector('a')?.href ?? '' }));
}

/** Opens a respond link and presses a button once the page is ready; resolves with the state it ends in. */
async function respond(link: string, button: 'approve' | 'deny'): Promise<string> {
  const response = await page.goto(link, { waitUntil: 'load' });
  assert.equal(response?.status(), 200);
  await page.waitForSelector('main[data-ready="true"]');
  await page.click(`#${button}`);
  await page.waitForSelector('main[data-state]:not([data-state="pending"])', { timeout: 60_000 });
  return page.$eval('main', (main) => (main as HTMLElement).dataset.state ?? '');
}

test('register a passkey, approve a sign-in and deny another through the outbox links', { timeout: 300_000 }, async (s) => {
  const user = await createUser(t);

  await s.test('the outbox page shows a new registration TX by itself, with its link', async () => {
    await page.goto(t.emulator.outboxUrl, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('count')?.textContent !== 'Loading…');
    const tx = await startTx(user.id, 'register');
    const entry = await notificationOnOutbox(tx);
    assert.match(entry.text, /Passkey enrolment/);
    assert.match(entry.text, new RegExp(`To ${user.email!.replace('.', '\\.')} by email`));
    assert.match(entry.text, /Create a passkey for your account\./);
    assert.equal(new URL(entry.link).origin, `http://localhost:${t.emulator.port}`);

    assert.equal(await respond(entry.link, 'approve'), 'verified');
    assert.equal(await text('#status'), 'This request was approved. You can close this page.');
    assert.equal(await txState(t, tx), 'verified');
    assert.equal((await t.request<User>('GET', `/api/v1/users/${user.id}`)).body.hasPasskeys, true);
  });

  await s.test('an authentication TX shows its message and is approved with that passkey', async () => {
    await page.goto(t.emulator.outboxUrl, { waitUntil: 'load' });
    const tx = await startTx(user.id, 'authenticate', { message: 'Sign in to Acme from Chromium. Code 17' });
    const entry = await notificationOnOutbox(tx);
    assert.match(entry.text, /Approval request/);
    await page.goto(entry.link, { waitUntil: 'load' });
    assert.equal(await text('#message'), 'Sign in to Acme from Chromium. Code 17');
    assert.equal(await text('h1'), 'Approve this request?');
    assert.equal(await respond(entry.link, 'approve'), 'verified');
    assert.equal(await txState(t, tx), 'verified');
  });

  await s.test('Deny on the respond page denies the TX', async () => {
    const tx = await startTx(user.id, 'authenticate', { message: 'Not me' });
    const link = t.emulator.outbox().find((entry) => entry.tx === tx)?.link ?? '';
    assert.equal(await respond(link, 'deny'), 'denied');
    assert.equal(await text('#status'), 'This request was denied. You can close this page.');
    assert.equal(await txState(t, tx), 'denied');
  });

  await s.test('the outbox page shows each TX in its state now, newest first', async () => {
    await page.goto(t.emulator.outboxUrl, { waitUntil: 'load' });
    await page.waitForSelector('li[data-tx]');
    const states = await page.$$eval('li[data-tx]', (items) => items.map((item) => (item as HTMLElement).dataset.state));
    assert.deepEqual(states, ['denied', 'verified', 'verified']);
  });

  assert.deepEqual(problems, [], 'no console error, CSP violation or failed request');

  await s.test('on a device whose passkey prompt fails, the page says so, the TX stays pending, and Deny still works', async () => {
    // Its own context and an authenticator where the person fails user verification: the browser
    // rejects at once with NotAllowedError (TOOLCHAIN.md), as when a prompt is closed.
    const context = await chromium.browser.createBrowserContext();
    const other = await context.newPage();
    try {
      const cdp = await other.createCDPSession();
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: false, automaticPresenceSimulation: true },
      });
      const tx = await startTx(user.id, 'authenticate', { message: 'From the other device' });
      const link = t.emulator.outbox().find((entry) => entry.tx === tx)?.link ?? '';
      await other.goto(link, { waitUntil: 'load' });
      await other.waitForSelector('main[data-ready="true"]');
      await other.click('#approve');
      const error = await other.waitForSelector('#error:not([hidden])');
      assert.match((await error?.evaluate((element) => element.textContent)) ?? '', /passkey prompt was closed or no passkey was chosen/);
      assert.equal(await other.$eval('main', (main) => (main as HTMLElement).dataset.state), 'pending');
      assert.equal(await txState(t, tx), 'pending');

      await other.waitForFunction(() => !(document.getElementById('deny') as HTMLButtonElement).disabled);
      await other.click('#deny');
      await other.waitForSelector('main[data-state="denied"]');
      assert.equal(await txState(t, tx), 'denied');
    } finally {
      await context.close();
    }
  });
});
