/**
 * Browser tests (`npm run test:browser`): every file in each engine found
 * here — Chromium, Firefox, WebKit (`test/browser/support/engines.ts`;
 * `TEST_ENGINES=firefox` runs one) — one page at a time, TypeScript through
 * esbuild, and the whole SendAuth stack in the dev server — an emulator and
 * real proxies at `/sendauth`, `/limited`, `/nosignup`, `/down`; a second
 * emulator with only SendAuth's public spec and proxies at `/approval`, `/auto`,
 * and the person's other device for its notifications — and the
 * browser bundle built fresh at `/dist/sendauth-elements{,.iife}.js`, so no
 * manual step is needed. Server commands: `test/browser/support/`. After
 * WTR's report, a summary per engine: run, passed, failed, and each skip
 * reason (a missing engine feature).
 *
 * Loaded as TypeScript: run through `NODE_OPTIONS=--import=tsx` (the npm script does).
 */
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, type TestRunnerConfig } from '@web/test-runner';
import { strictCspPagesMiddleware } from './test/browser/elements/pages-middleware.js';
import { approvalStack } from './test/browser/support/approval-stack-plugin.js';
import { browserBundleMiddleware } from './test/browser/support/bundle-middleware.js';
import { engineReport } from './test/browser/support/engine-plugin.js';
import { engineLaunchers } from './test/browser/support/engines.js';
import { drivenPagePlugin } from './test/browser/support/page-plugin.js';
import { reportValuesPlugin } from './test/browser/support/report-values-plugin.js';
import { sendAuthStack } from './test/browser/support/sendauth-stack-plugin.js';
import { webAuthnPlugin } from './test/browser/support/webauthn-plugin.js';
import { planEngines } from './test/support/browsers.js';

const plan = planEngines();
const { browsers, darkWebKit } = await engineLaunchers(plan);
const engines = engineReport(plan);
const stack = sendAuthStack();
const approval = approvalStack();

/**
 * The files that compare light and dark: in WebKit, which cannot switch, they also run in a WebKit
 * started dark. Not when files are chosen with `--files` (WTR applies those to the main group only).
 */
const COLOR_SCHEME_FILES = ['test/browser/elements/a11y.test.ts'];
const darkGroup = darkWebKit && !process.argv.includes('--files') ? [{ name: 'webkit-dark', files: COLOR_SCHEME_FILES, browsers: [darkWebKit] }] : [];

const running = Object.entries(plan.found).map(([engine, found]) => `${engine} (${typeof found === 'string' ? found : found.miniBrowser})`);
console.log(`Browser engines: ${running.join(', ')}`);
for (const { engine, hint } of plan.skipped) console.log(`Not run: ${engine}, not installed here: ${hint}.`);

const config: TestRunnerConfig = {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  hostname: 'localhost',
  // No `port`: WTR picks a free one from 8000 up (port 0 would end up in the page URL).
  // One page at a time, and (when this config is given several engines) one engine after the
  // other: WebAuthn prompts need their page focused; Firefox's virtual authenticator is
  // browser-wide; and the emulator's clock and the `/limited` proxy's counter, which tests move and
  // reset, are shared by every page of this run. `npm run test:browser` (scripts/test-browser.ts)
  // runs the engines side by side, each in a web-test-runner of its own, with its own stack.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  // A guard against a page that never ends, not a test's limit (mocha's, below, and the tests' own):
  // the approval file's longest test alone may take 90 s on a loaded machine.
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 20_000 } },
  // Lit's dev build says so in every file; its other warnings stay.
  filterBrowserLogs: ({ args }) => !(typeof args[0] === 'string' && args[0].startsWith('Lit is in dev mode')),
  browsers,
  groups: darkGroup,
  reporters: [defaultReporter(), engines.reporter],
  // The proxies first: WTR's own file serving must not see their paths. The static pages of
  // test/browser/pages/ get the strict CSP the elements must work under.
  middleware: [stack.middleware, approval.middleware, browserBundleMiddleware(), strictCspPagesMiddleware()],
  plugins: [
    esbuildPlugin({
      ts: true,
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
      target: 'es2022',
    }),
    stack.plugin,
    approval.plugin,
    engines.plugin,
    webAuthnPlugin(),
    drivenPagePlugin(),
    reportValuesPlugin(),
  ],
};

export default config;
