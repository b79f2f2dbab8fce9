/**
 * What each engine ran, and why a test did not run there.
 *
 * The plugin answers the `engine:*` commands (`engine.ts` calls them):
 * `engine:info` (the session's engine and what its driver can do),
 * `engine:color-scheme` (what `prefers-color-scheme` pages see: CDP in
 * Chromium, a preference in Firefox) and `engine:skipped` (a test skipped
 * for a missing engine feature, with that feature).
 *
 * The reporter prints, after WTR's own report, one line per engine — tests
 * run, passed, failed, skipped — and under it each skip reason with its
 * count; a test skipped without a reason (a bare `it.skip` or `this.skip()`)
 * is listed by name and fails the run. The engines not installed here are
 * named too.
 *
 * Node only.
 */
import { relative } from 'node:path';
import type { BrowserLauncher, Reporter, TestRunnerPlugin, TestSession, TestSuiteResult } from '@web/test-runner';
import type { ChromeLauncher } from '@web/test-runner-chrome';
import type { EnginePlan } from '../../support/browsers.js';
import { engineOf } from './engines.js';
import { COLOR_SCHEME_PREF, COLOR_SCHEME_VALUES, firefoxRemote } from './firefox-launcher.js';
import type { ColorSchemePayload, SkippedPayload } from './protocol.js';

/** `label → test file → title path (JSON) → reason`. */
type SkipLog = Map<string, Map<string, Map<string, string>>>;

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  reasons: Map<string, number>;
  unexplained: string[];
  /** Files whose page failed outside any test (a load error, a timeout). */
  brokenFiles: string[];
}

function walk(suite: TestSuiteResult, path: string[], visit: (path: string[], test: TestSuiteResult['tests'][number]) => void): void {
  for (const test of suite.tests) visit([...path, test.name], test);
  for (const child of suite.suites) walk(child, [...path, child.name], visit);
}

function tally(sessions: TestSession[], skips: SkipLog): Map<string, Tally> {
  const byLabel = new Map<string, Tally>();
  for (const session of sessions) {
    const label = session.browser.name;
    let entry = byLabel.get(label);
    if (!entry) {
      entry = { passed: 0, failed: 0, skipped: 0, reasons: new Map(), unexplained: [], brokenFiles: [] };
      byLabel.set(label, entry);
    }
    const current = entry;
    if (session.errors.length > 0) current.brokenFiles.push(relative(process.cwd(), session.testFile));
    const reasons = skips.get(label)?.get(session.testFile);
    if (!session.testResults) continue;
    walk(session.testResults, [], (path, test) => {
      if (test.skipped) {
        current.skipped += 1;
        const reason = reasons?.get(JSON.stringify(path));
        if (reason) current.reasons.set(reason, (current.reasons.get(reason) ?? 0) + 1);
        else current.unexplained.push(`${relative(process.cwd(), session.testFile)}: ${path.join(' > ')}`);
      } else if (test.passed) current.passed += 1;
      else current.failed += 1;
    });
  }
  return byLabel;
}

export interface EngineReport {
  plugin: TestRunnerPlugin;
  reporter: Reporter;
}

export function engineReport(plan: EnginePlan): EngineReport {
  const skips: SkipLog = new Map();

  function recordSkips(label: string, testFile: string, { tests, reason }: SkippedPayload): void {
    const byFile = skips.get(label) ?? new Map<string, Map<string, string>>();
    skips.set(label, byFile);
    const byTest = byFile.get(testFile) ?? new Map<string, string>();
    byFile.set(testFile, byTest);
    for (const path of tests) byTest.set(JSON.stringify(path), reason);
  }

  async function setColorScheme(launcher: BrowserLauncher, sessionId: string, { colorScheme }: ColorSchemePayload): Promise<void> {
    const { engine, label, colorScheme: support } = engineOf(launcher);
    if (support !== 'emulated') throw new Error(`${label} cannot switch its colour scheme (it runs ${support})`);
    const page = (launcher as ChromeLauncher).getPage(sessionId);
    if (engine === 'chromium') await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: colorScheme }]);
    else await firefoxRemote(page.browser()).setPrefs({ [COLOR_SCHEME_PREF]: COLOR_SCHEME_VALUES[colorScheme] });
  }

  const plugin: TestRunnerPlugin = {
    name: 'sendauth-engines',
    async executeCommand({ command, payload, session }) {
      if (!command.startsWith('engine:')) return undefined;
      switch (command) {
        case 'engine:info':
          return engineOf(session.browser);
        case 'engine:color-scheme': {
          const { colorScheme } = (payload ?? {}) as Partial<ColorSchemePayload>;
          if (colorScheme !== 'light' && colorScheme !== 'dark') throw new Error("engine:color-scheme: payload { colorScheme: 'light' | 'dark' } expected");
          await setColorScheme(session.browser, session.id, { colorScheme });
          return { colorScheme };
        }
        case 'engine:skipped': {
          const { tests, reason } = (payload ?? {}) as Partial<SkippedPayload>;
          if (!Array.isArray(tests) || typeof reason !== 'string') throw new Error('engine:skipped: payload { tests: string[][], reason: string } expected');
          recordSkips(session.browser.name, session.testFile, { tests, reason });
          return { recorded: tests.length };
        }
        default:
          throw new Error(`Unknown command ${command}`);
      }
    },
  };

  const reporter: Reporter = {
    stop({ sessions }) {
      const lines = ['', 'Browser tests by engine:'];
      const byLabel = tally(sessions, skips);
      for (const [label, entry] of byLabel) {
        const run = entry.passed + entry.failed;
        lines.push(`  ${label}: ${run + entry.skipped} tests, ${run} run: ${entry.passed} passed, ${entry.failed} failed, ${entry.skipped} skipped`);
        for (const [reason, count] of [...entry.reasons].sort((a, b) => b[1] - a[1])) lines.push(`    skipped ${count}: ${reason}`);
        for (const name of entry.unexplained) lines.push(`    SKIPPED WITHOUT A REASON (use skipUnless): ${name}`);
        for (const file of entry.brokenFiles) lines.push(`    FILE FAILED outside its tests: ${file}`);
      }
      for (const { engine, hint } of plan.skipped) lines.push(`  ${engine}: NOT RUN, not installed here: ${hint}.`);
      const unexplained = [...byLabel.values()].some((entry) => entry.unexplained.length > 0);
      if (unexplained) {
        lines.push('A test was skipped without naming the missing engine feature: the run fails.');
        // WTR exits with process.exit(passed ? 0 : 1); Node exits with the exitCode an exit listener leaves.
        process.once('exit', () => {
          process.exitCode = 1;
        });
      }
      console.log(lines.join('\n'));
    },
  };

  return { plugin, reporter };
}
