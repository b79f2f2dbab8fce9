/**
 * The demo as SendAuth's public spec (`approvalOnly`), end to end in
 * Chromium: the visitor signs up on the site, the passkey is made on their
 * "phone" (a second browser context with its own authenticator) through the
 * outbox's link, then they change their email, a step-up the phone approves
 * and the site's server confirms once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { RunningDemo } from '../../demo/server.js';
import { startTestDemo } from './demo-stack.js';
import { launchBrowser, newPageWithAuthenticator, waitForElements, type LaunchedBrowser } from './browser.js';

let demo: RunningDemo;
let chromium: LaunchedBrowser;
let site: Page;
let phone: Page;
let stack: Awaited<ReturnType<typeof startTestDemo>> | undefined;

const email = `grace-${randomUUID()}@example.com`;
const newEmail = `grace-new-${randomUUID()}@example.com`;

before(async () => {
  stack = await startTestDemo({ approvalOnly: true });
  ({ demo } = stack);
  chromium = await launchBrowser();
  site = await newPageWithAuthenticator(chromium.browser);
  phone = await newPageWithAuthenticator(chromium.browser);
});

after(async () => {
  await chromium?.close();
  await stack?.close();
});

async function text(page: Page, selector: string): Promise<string> {
  const handle = await page.waitForSelector(selector, { visible: true });
  assert.ok(handle, `${selector} is shown`);
  return (await handle.evaluate((element) => element.textContent ?? '')).trim();
}

/** The person follows the newest notification's link on their phone and approves there. */
async function approveOnPhone(): Promise<string> {
  const [entry] = (await demo.emulator!.outbox()).filter((notification) => notification.state === 'pending');
  assert.ok(entry, 'a pending notification');
  await phone.bringToFront();
  await phone.goto(entry.link, { waitUntil: 'load' });
  await phone.waitForSelector('main[data-ready="true"]');
  await phone.click('#approve');
  await phone.waitForSelector('main[data-state="verified"]');
  await site.bringToFront();
  return entry.message;
}

test('sign up and change the email, each approved on the phone', { timeout: 300_000 }, async (t) => {
  await t.test('sign up: “We sent you a link to create your passkey”, the phone makes it, the site signs in', async () => {
    await site.goto(`${demo.url}/signup`, { waitUntil: 'load' });
    await waitForElements(site, ['sendauth-register']);
    await site.type('sendauth-register >>> #firstName', 'Grace');
    await site.type('sendauth-register >>> #lastName', 'Hopper');
    await site.type('sendauth-register >>> #email', email);
    await site.click('sendauth-register >>> button[part~="button"]');
    assert.match(await text(site, 'sendauth-register >>> [part~="code"]'), /^[1-9]\d$/);
    assert.match(await text(site, 'sendauth-register >>> [part~="status"]'), /^We sent you a link to create your passkey \(g•••@example\.com\)/);
    await approveOnPhone();
    await site.waitForFunction(() => window.location.pathname === '/account', { timeout: 60_000 });
    assert.equal(await text(site, '#me-email'), email);
  });

  await t.test('change the email: the step-up names the change and the code; the server confirms it once', async () => {
    await site.type('#new-email', newEmail);
    await site.waitForSelector('#approve-email', { visible: true });
    assert.equal(await text(site, 'sendauth-approve >>> [part~="message"]'), `Change your Harbor email to ${newEmail}`);
    await site.click('sendauth-approve >>> button[part~="button"]');
    const code = await text(site, 'sendauth-approve >>> [part~="code"]');
    const message = await approveOnPhone();
    assert.match(message, new RegExp(`^Harbor asks you to approve: “Change your Harbor email to ${newEmail.replace(/[.]/g, '\\.')}” \\(from Chrome on Linux\\)\\. Approve only if Harbor shows the code ${code}\\.$`));
    assert.equal(await text(site, '#page-status'), `Your email is now ${newEmail}.`);
    await site.waitForFunction((expected: string) => document.querySelector('#me-email')?.textContent === expected, {}, newEmail);

    // The approval counted once: the same TX cannot change the email again (to this or anything else).
    const tx = (await demo.emulator!.outbox())[0]!.tx;
    const replay = await site.evaluate(
      async (body: string) => (await fetch('/account/email', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).status,
      JSON.stringify({ email: `other-${randomUUID()}@example.com`, tx }),
    );
    assert.equal(replay, 403);
  });

  await t.test('the page that explains it links to the outbox', async () => {
    await site.goto(`${demo.url}/another-device`, { waitUntil: 'load' });
    assert.equal(await text(site, 'h1'), 'Your passkey is on another device');
    assert.equal(await site.$eval('#outbox-link', (link) => (link as HTMLAnchorElement).getAttribute('href')), '/outbox');
  });
});
