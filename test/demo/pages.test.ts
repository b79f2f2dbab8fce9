/**
 * `npm start` as a developer runs it (on a free port, with its own data
 * file): every demo page answers 200 and loads in Chromium without a console
 * error, a page error or a failed request, signed out and, for the account
 * page, signed in.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { launchBrowser, newPageWithAuthenticator, recordPageProblems, waitForElements, type LaunchedBrowser } from './browser.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Every page of the demo and the elements each one shows. */
const PAGES: ReadonlyArray<{ path: string; tags: string[] }> = [
  { path: '/', tags: ['sendauth-login'] },
  { path: '/signup', tags: ['sendauth-register'] },
  { path: '/account', tags: ['sendauth-register'] },
  { path: '/drop-in', tags: ['sendauth-login'] },
  { path: '/themed', tags: ['sendauth-login'] },
  { path: '/de', tags: ['sendauth-login', 'sendauth-register'] },
];

let server: ChildProcess;
let serverExited: Promise<void>;
let url: string;
let scratch: string;
let chromium: LaunchedBrowser;

/** Starts `npm start` in its own process group and resolves with the URL it prints. */
function startServer(env: NodeJS.ProcessEnv): Promise<string> {
  server = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  serverExited = new Promise((resolve) => server.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 180 s:\n${output}`)), 180_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /SendAuth elements demo: (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout?.on('data', read);
    server.stderr?.on('data', read);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before printing its URL:\n${output}`));
    });
  });
}

/** SIGTERM to the whole group (npm, sh, tsx, node), then SIGKILL if it does not stop. */
async function stopServer(): Promise<void> {
  if (!server?.pid || server.exitCode !== null || server.signalCode !== null) return;
  const group = -server.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  const stopped = await Promise.race([serverExited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000).unref())]);
  if (!stopped) {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'sendauth-demo-pages-'));
  url = await startServer({
    ...process.env,
    PORT: '0',
    SENDAUTH_DATA_FILE: path.join(scratch, 'sendauth-data.json'),
    DEMO_VITE_CACHE_DIR: path.join(scratch, 'vite'),
    // This test starts the emulator; a real SendAuth from the environment is not for it.
    SENDAUTH_URL: '',
    SENDAUTH_USERNAME: '',
    SENDAUTH_PASSWORD: '',
  });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await stopServer();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function visit(page: Page, problems: string[], pagePath: string, tags: string[]): Promise<void> {
  problems.length = 0;
  const response = await page.goto(`${url}${pagePath}`, { waitUntil: 'networkidle0' });
  assert.equal(response?.status(), 200, `GET ${pagePath}`);
  assert.match(response?.headers()['content-type'] ?? '', /^text\/html/);
  await waitForElements(page, tags);
  assert.deepEqual(problems, [], `${pagePath} loaded with problems`);
}

test('every demo page answers 200 and loads cleanly', { timeout: 300_000 }, async (t) => {
  const page = await newPageWithAuthenticator(chromium.browser);
  await page.setCacheEnabled(false);
  const problems = recordPageProblems(page);

  for (const { path: pagePath, tags } of PAGES) {
    await t.test(`${pagePath} (signed out)`, () => visit(page, problems, pagePath, tags));
  }

  await t.test('/account shows who is signed in', async () => {
    await visit(page, problems, '/account', ['sendauth-register']);
    await page.waitForSelector('#signed-out', { visible: true });

    // Sign up on the way, so the account page has someone to show.
    await visit(page, problems, '/signup', ['sendauth-register']);
    await page.type('sendauth-register >>> #firstName', 'Grace');
    await page.type('sendauth-register >>> #lastName', 'Hopper');
    await page.type('sendauth-register >>> #email', `grace-${randomUUID()}@example.com`);
    await page.click('sendauth-register >>> button[part~="button"]');
    await page.waitForFunction(() => window.location.pathname === '/account' && document.readyState === 'complete');
    await page.waitForSelector('#account', { visible: true });
    assert.deepEqual(problems, [], 'sign-up and the account page loaded with problems');

    await visit(page, problems, '/account', ['sendauth-register']);
    await page.waitForSelector('#passkey-yes', { visible: true });
    assert.deepEqual(problems, []);
  });

  await t.test('the drop-in page loads nothing through Vite', async () => {
    const scripts = await (await fetch(`${url}/drop-in`)).text();
    assert.doesNotMatch(scripts, /@vite|type="module"/);
    assert.match(scripts, /<script src="\/sendauth-elements\.iife\.js" defer><\/script>/);
  });
});
