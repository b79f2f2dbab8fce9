/**
 * `npm run screenshots`: starts the demo, opens its pages in headless
 * Chromium and writes a PNG of each element and state into docs/, for the
 * README. Run it again after changing how the elements look.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { startDemo } from '../demo/server.js';
import { launchBrowser, newPageWithAuthenticator, waitForElements } from '../test/demo/browser.js';

const docsDir = fileURLToPath(new URL('../docs/', import.meta.url));
/** Page background shown around each element. */
const MARGIN = 24;

interface Shot {
  file: string;
  what: string;
  path: string;
  tags: string[];
  /** What to photograph: one selector, or several whose boxes are joined. */
  select: string[];
  /** Page shown around it, in CSS pixels. @default 24 */
  margin?: number;
  dark?: boolean;
  /** Brings the page into the state to show. */
  prepare?: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  { file: 'login.png', what: '<sendauth-login>', path: '/', tags: ['sendauth-login'], select: ['sendauth-login'] },
  {
    file: 'login-error.png',
    what: '<sendauth-login> showing an error',
    path: '/',
    tags: ['sendauth-login'],
    select: ['sendauth-login'],
    async prepare(page) {
      await page.type('sendauth-login >>> #username', 'nobody@example.com');
      await page.click('sendauth-login >>> button[part~="button"]');
      await page.waitForSelector('sendauth-login >>> [part~="error"]', { visible: true });
      // The error takes the focus for screen readers; the picture shows it unfocused.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    },
  },
  {
    file: 'register.png',
    what: '<sendauth-register> for a signed-in user, on the demo\'s account page',
    path: '/signup',
    tags: ['sendauth-register'],
    select: ['#passkey-panel'],
    async prepare(page) {
      // Sign up, then remove the passkey: the account page then offers to add one.
      await page.type('sendauth-register >>> #firstName', 'Ada');
      await page.type('sendauth-register >>> #lastName', 'Lovelace');
      await page.type('sendauth-register >>> #email', `ada-${randomUUID()}@example.com`);
      await page.click('sendauth-register >>> button[part~="button"]');
      await page.waitForFunction(() => window.location.pathname === '/account');
      await page.waitForSelector('#remove-passkey', { visible: true });
      await page.click('#remove-passkey');
      await page.waitForSelector('#add-passkey', { visible: true });
      await waitForElements(page, ['sendauth-register']);
    },
  },
  { file: 'register-signup.png', what: '<sendauth-register signup>', path: '/signup', tags: ['sendauth-register'], select: ['sendauth-register'] },
  { file: 'themed.png', what: 'themed with custom properties and parts', path: '/themed', tags: ['sendauth-login'], select: ['.stage'], margin: 6 },
  { file: 'german.png', what: 'lang="de"', path: '/de', tags: ['sendauth-login', 'sendauth-register'], select: ['sendauth-login', 'sendauth-register'] },
  { file: 'dark.png', what: 'dark mode (prefers-color-scheme: dark)', path: '/signup', tags: ['sendauth-register'], select: ['sendauth-register'], dark: true },
];

/** The smallest rectangle around every element the selectors match, plus `margin`. */
async function clipAround(page: Page, selectors: string[], margin: number): Promise<{ x: number; y: number; width: number; height: number }> {
  const boxes = [];
  for (const selector of selectors) {
    await page.waitForSelector(selector, { visible: true });
    for (const handle of await page.$$(selector)) {
      const box = await handle.boundingBox();
      if (!box) throw new Error(`${selector} has no box to photograph`);
      boxes.push(box);
    }
  }
  const left = Math.min(...boxes.map((b) => b.x)) - margin;
  const top = Math.min(...boxes.map((b) => b.y)) - margin;
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + margin;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + margin;
  return { x: Math.max(0, left), y: Math.max(0, top), width: right - Math.max(0, left), height: bottom - Math.max(0, top) };
}

async function main(): Promise<void> {
  await mkdir(docsDir, { recursive: true });
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'sendauth-screenshots-vite-'));
  const demo = await startDemo({ port: 0, logLevel: 'warn', viteCacheDir: cacheDir });
  const chromium = await launchBrowser();
  try {
    for (const shot of SHOTS) {
      const page = await newPageWithAuthenticator(chromium.browser);
      await page.setViewport({ width: 1100, height: 900, deviceScaleFactor: 2 });
      await page.emulateMediaFeatures([
        { name: 'prefers-color-scheme', value: shot.dark ? 'dark' : 'light' },
        { name: 'prefers-reduced-motion', value: 'reduce' },
      ]);
      await page.goto(`${demo.url}${shot.path}`, { waitUntil: 'networkidle0' });
      await waitForElements(page, shot.tags);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await shot.prepare?.(page);
      const file = path.join(docsDir, shot.file);
      await page.screenshot({ path: file as `${string}.png`, clip: await clipAround(page, shot.select, shot.margin ?? MARGIN) });
      console.log(`docs/${shot.file}  ${shot.what}`);
      await page.browserContext().close();
    }
  } finally {
    await chromium.close();
    await demo.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

await main();
