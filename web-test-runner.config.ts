/**
 * Browser tests (`npm run test:browser`): headless Debian Chromium, each page
 * in its own browser context (WebAuthn needs focus), TypeScript through
 * esbuild, and the whole SendAuth stack in the dev server — an emulator and
 * real proxies at `/sendauth`, `/limited`, `/nosignup`, `/down` — and the
 * browser bundle built fresh at `/dist/sendauth-elements{,.iife}.js`, so no
 * manual step is needed. Server commands: `test/browser/support/`.
 *
 * Loaded as TypeScript: run through `NODE_OPTIONS=--import=tsx` (the npm script does).
 */
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import type { TestRunnerConfig } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { strictCspPagesMiddleware } from './test/browser/elements/pages-middleware.js';
import { browserBundleMiddleware } from './test/browser/support/bundle-middleware.js';
import { sendAuthStack } from './test/browser/support/sendauth-stack-plugin.js';
import { webAuthnPlugin } from './test/browser/support/webauthn-plugin.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/support/chromium.js';

const stack = sendAuthStack();

const config: TestRunnerConfig = {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  hostname: 'localhost',
  // No `port`: WTR picks a free one from 8000 up (port 0 would end up in the page URL).
  // Two cores here; WebAuthn prompts also need their page focused.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 20_000 } },
  // Lit's dev build says so in every file; its other warnings stay.
  filterBrowserLogs: ({ args }) => !(typeof args[0] === 'string' && args[0].startsWith('Lit is in dev mode')),
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
      },
      // Its own browser context per page: otherwise parallel pages fail WebAuthn with
      // "the page does not have focus".
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  ],
  // The proxies first: WTR's own file serving must not see their paths. The static pages of
  // test/browser/pages/ get the strict CSP the elements must work under.
  middleware: [stack.middleware, browserBundleMiddleware(), strictCspPagesMiddleware()],
  plugins: [
    esbuildPlugin({
      ts: true,
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
      target: 'es2022',
    }),
    stack.plugin,
    webAuthnPlugin(),
  ],
};

export default config;
