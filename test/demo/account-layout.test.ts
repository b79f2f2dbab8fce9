/**
 * The demo's account page on a narrow screen: the name in full (first and
 * last, from `GET /sendauth/me`), and a long address and the user id wrap
 * only between their parts, never inside one. Chromium with a virtual
 * authenticator signs up through the demo for real.
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
let page: Page;
let stack: Awaited<ReturnType<typeof startTestDemo>> | undefined;

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

/** For each text node of `selector`: its text and on how many lines it is laid out. */
function linesPerPart(selector: string): Promise<{ parts: Array<{ text: string; lines: number }>; height: number; lineHeight: number }> {
  return page.$eval(selector, (element) => {
    const parts = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        // One rect per line the text sits on.
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        return { text: node.textContent ?? '', lines: tops.size };
      });
    return { parts, height: element.getBoundingClientRect().height, lineHeight: parseFloat(getComputedStyle(element).lineHeight) };
  });
}

test('a narrow screen: the full name, and the address and id wrap only between their parts', { timeout: 120_000 }, async () => {
  const email = `ada-lovelace-${randomUUID()}@analytical-engine.example.com`;
  await page.goto(`${demo.url}/signup`, { waitUntil: 'load' });
  await waitForElements(page, ['sendauth-register']);
  await page.type('sendauth-register >>> #firstName', 'Ada');
  await page.type('sendauth-register >>> #lastName', 'Lovelace');
  await page.type('sendauth-register >>> #email', email);
  await page.click('sendauth-register >>> button[part~="button"]');
  await page.waitForFunction(() => window.location.pathname === '/account');
  await page.waitForSelector('#me-email', { visible: true });

  assert.equal(await page.$eval('#me-name', (element) => element.textContent), 'Ada Lovelace');
  assert.equal(await page.$eval('#me-email', (element) => element.textContent), email);

  for (const width of [320, 375]) {
    await page.setViewport({ width, height: 800 });
    for (const selector of ['#me-email', '#me-id']) {
      const { parts, height, lineHeight } = await linesPerPart(selector);
      assert.ok(parts.length > 1, `${selector} has places to wrap`);
      for (const part of parts) assert.equal(part.lines, 1, `${width}px: "${part.text}" of ${selector} is broken inside`);
      if (selector === '#me-email') assert.ok(height > lineHeight * 1.5, `${width}px: the long address does wrap (${height}px)`);
    }
    // Nothing sticks out sideways.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${width}px: no sideways scroll`);
  }
});
