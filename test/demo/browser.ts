/**
 * Headless Chromium for the demo's tests and the screenshot script:
 * puppeteer-core driving the system Chromium (TOOLCHAIN.md flags), a fresh
 * profile per launch, and Chrome's virtual authenticator per page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'sendauth-demo-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    userDataDir,
    protocolTimeout: 120_000,
    args: CHROMIUM_ARGS,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/**
 * A page in its own browser context (WebAuthn wants the focused page; contexts
 * also keep cookies apart), with a virtual platform authenticator that
 * answers at once, as a person touching the fingerprint reader would.
 */
export async function newPageWithAuthenticator(browser: Browser): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(60_000);
  const cdp = await page.createCDPSession();
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return page;
}

/** What went wrong while a page loaded: console errors, page errors, failed or 4xx/5xx requests. */
export function recordPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** Resolves once the custom elements the page uses are defined and have rendered. */
export async function waitForElements(page: Page, tags: string[]): Promise<void> {
  await page.waitForFunction(
    (names: string[]) =>
      names.every((name) => customElements.get(name) !== undefined) &&
      names.every((name) => Array.from(document.querySelectorAll(name)).every((element) => element.shadowRoot?.querySelector('[part~="form"]'))),
    { timeout: 60_000 },
    tags,
  );
}
