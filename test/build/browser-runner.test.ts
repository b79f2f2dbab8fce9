/**
 * `npm run test:browser` as the README tells a contributor to use it: its
 * failures shown with their test and message (also when the assertion was
 * about a DOM element), under the engine that ran them, with a non-zero exit
 * code; a bad setting refused in one line; and, interrupted, no browser, Xvfb
 * or server left running. Each runs the real script on a fixture file that
 * fails or waits on purpose (`test/build/fixtures/`).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findEngines } from '../support/browsers.js';
import { interruptScript, runScript } from '../support/script-runs.js';

const BROWSER_FIXTURE = 'test/build/fixtures/failing-browser-test.ts';
const SLOW_FIXTURE = 'test/build/fixtures/slow-browser-test.ts';

describe('npm run test:browser', () => {
  test('a failing test is shown under its engine with its message, an assertion on a DOM element too, and the run exits non-zero', async () => {
    // Chromium and, where it is installed, WebKit (lighter to start than Firefox, which the Ctrl+C test below uses): two
    // web-test-runners side by side, as `npm test` runs them.
    const engines = findEngines().webkit ? 'chromium,webkit' : 'chromium';
    const { code, output } = await runScript('test-browser.ts', ['--files', BROWSER_FIXTURE], { TEST_ENGINES: engines });
    assert.equal(code, 1, output);
    assert.doesNotMatch(output, /did not finish/, 'the results reached the runner');
    for (const engine of engines.split(',')) {
      const report = reportOf(output, engine);
      assert.match(report, /failing on purpose > on a number\n\s+AssertionError: expected 1 to equal 2/, `${engine}:\n${report}`);
      assert.match(report, /failing on purpose > on an element\n\s+AssertionError: expected <sendauth-probe><\/sendauth-probe> to be an instance of HTMLButtonElement/, `${engine}:\n${report}`);
      assert.match(report, /: 3 tests, 3 run: 1 passed, 2 failed, 0 skipped/, `${engine}:\n${report}`);
    }
  });
});

describe('npm run test:browser settings', () => {
  for (const [env, message] of [
    [{ TEST_ENGINE_CONCURRENCY: 'two' }, 'TEST_ENGINE_CONCURRENCY must be a whole number from 1 (one engine after the other) up; got "two".'],
    [{ TEST_ENGINE_CONCURRENCY: '0' }, 'TEST_ENGINE_CONCURRENCY must be a whole number from 1 (one engine after the other) up; got "0".'],
    [{ TEST_ENGINES: 'safari' }, 'TEST_ENGINES: unknown engine safari (known: chromium, firefox, webkit)'],
  ] as const) {
    test(`${Object.entries(env).map(([name, value]) => `${name}=${value}`).join(' ')}: one line that says what is wrong, exit 1, no browser started`, async () => {
      const { code, output } = await runScript('test-browser.ts', [], env);
      assert.equal(code, 1, output);
      assert.equal(output.trim().split('\n').at(-1), message, output);
      assert.doesNotMatch(output, /\n\s+at |running/, output);
    });
  }
});

describe('npm run test:browser, interrupted', () => {
  /** Runs the slow fixture in `engines`; once each one's browser is up and its page waiting, sends `signal`. */
  function interrupt(engines: string, signal: NodeJS.Signals, target: 'group' | 'script'): ReturnType<typeof interruptScript> {
    const browsers: Record<string, RegExp> = { chromium: /chromium|chrome|msedge/i, firefox: /firefox/, webkit: /MiniBrowser/ };
    const wanted = engines.split(',').map((engine) => browsers[engine]!);
    return interruptScript({
      script: 'test-browser.ts',
      args: ['--files', SLOW_FIXTURE],
      env: { TEST_ENGINES: engines },
      started: (_, processes) => wanted.every((browser) => processes.some((line) => browser.test(line))),
      notStarted: 'the browsers did not start',
      settleMs: 2_000, // the test page is open and waiting
      signal,
      target,
    });
  }

  test('Ctrl+C (SIGINT to the process group) stops every engine, says so, exits 130 and leaves nothing running', async () => {
    const engines = findEngines().firefox ? 'chromium,firefox' : 'chromium';
    const { code, output, left } = await interrupt(engines, 'SIGINT', 'group');
    assert.deepEqual(left, [], 'still running after Ctrl+C');
    assert.equal(code, 130, output);
    if (engines.includes(',')) {
      assert.match(output, /Browser engines \(interrupted by SIGINT\):/, output);
      for (const engine of engines.split(',')) assert.match(output, new RegExp(`──────── ${engine}: interrupted after \\d+ s, its report so far`), output);
    }
  });

  test('SIGTERM to the script alone stops its web-test-runner, which closes its browser (and Xvfb), and exits 143', async () => {
    // WebKit where it is installed: its runner also starts Xvfb and WebKitWebDriver.
    const engine = findEngines().webkit ? 'webkit' : 'chromium';
    const { code, output, left } = await interrupt(engine, 'SIGTERM', 'script');
    assert.deepEqual(left, [], 'still running after SIGTERM');
    assert.equal(code, 143, output);
  });
});

/** One engine's part of `test-browser.ts`'s output: its whole report when several ran, else everything. */
function reportOf(output: string, engine: string): string {
  const start = output.indexOf(`──────── ${engine}: FAILED`);
  if (start === -1) {
    assert.match(output, new RegExp(`Browser engines: ${engine} \\(`), `no report of ${engine}`);
    return output;
  }
  const end = output.indexOf('────────', output.indexOf('\n', start));
  return output.slice(start, end === -1 ? undefined : end);
}
