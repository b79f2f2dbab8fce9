/**
 * The test runners as the README tells a contributor to use them:
 * `npm run test:node -- <file or folder>` with Node's options before or after
 * the paths, which, interrupted, leaves nothing the tests started running;
 * `npm test`'s type-check beside the Node tests (a copy of `scripts/test.ts`
 * in a repository of its own, the Node and browser tests stood in for); and
 * `npm run test:browser`, whose failures must be shown with their test
 * and message (also when the assertion was about a DOM element), under the
 * engine that ran them, with a non-zero exit code, and which, interrupted,
 * leaves no browser, Xvfb or server running. Each runs the real script on a
 * fixture that fails or waits on purpose (`test/build/fixtures/`).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findEngines } from '../support/browsers.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const NODE_FIXTURE = 'test/build/fixtures/node-runner-fixture.test.ts';
const NODE_FOLDER = 'test/build/fixtures/node-folder';
const NODE_ONLY = 'test/build/fixtures/node-only';
const NODE_SLOW = 'test/build/fixtures/node-slow';
const BROWSER_FIXTURE = 'test/build/fixtures/failing-browser-test.ts';
const SLOW_FIXTURE = 'test/build/fixtures/slow-browser-test.ts';

interface Run {
  code: number | null;
  output: string;
}

/** Runs `script` (a file in `scripts/`) with `args` as `npm run` would, and collects stdout and stderr together. */
function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  // Without NODE_TEST_CONTEXT, which this file's own runner sets: with it, a `node --test` inside only warns.
  const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], {
      cwd: repoRoot,
      env: { ...parentEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // A guard only: a runner that hangs is ended (its failure then shows what it printed).
      timeout: 240_000,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Runs `scripts/test.ts` of the repository at `root` as `npm test` would; with `signal`, sends it to the
 * run's process group (as Ctrl+C does) once the Node tests have started.
 */
function runIn(root: string, args: string[], env: Record<string, string> = {}, signal?: NodeJS.Signals): Promise<Run> {
  const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', ...args], {
      cwd: root,
      env: { ...parentEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      timeout: 120_000,
    });
    let output = '';
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (signal && output.includes('[node tests ran]')) {
        process.kill(-child.pid!, signal);
        signal = undefined;
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run test:node', () => {
  for (const args of [
    [NODE_FIXTURE, '--test-name-pattern=picked'],
    ['--test-name-pattern=picked', NODE_FIXTURE],
    [NODE_FIXTURE, '--test-name-pattern', 'picked'],
  ]) {
    test(`runs only the file named, with Node's options wherever they stand: ${args.join(' ')}`, async () => {
      const { code, output } = await runScript('test-node.ts', args);
      assert.equal(code, 0, output);
      assert.match(output, /✔ picked by its name/);
      assert.match(output, /left out by the pattern .*# test name does not match pattern/);
      assert.match(output, /ℹ tests 2\n/, 'no other file ran');
    });
  }

  test('a failing test is shown with its message and the line it is on, and the run exits non-zero', async () => {
    const { code, output } = await runScript('test-node.ts', [NODE_FIXTURE]);
    assert.equal(code, 1, output);
    assert.match(output, /✖ left out by the pattern/);
    assert.match(output, /Expected values to be strictly equal:\n[\s\S]*2 !== 3/);
    // The line in the TypeScript source, not in tsx's output.
    assert.match(output, new RegExp(`test at ${NODE_FIXTURE.replaceAll('.', '\\.')}:13:1`));
    assert.match(output, /ℹ fail 1/);
  });

  test("a folder's files run in one process, one after the other, each a suite of its own with its own hooks", async () => {
    const { code, output } = await runScript('test-node.ts', [NODE_FOLDER]);
    assert.equal(code, 1, output);
    const pids = [...output.matchAll(/\[(?:first|second) before, pid (\d+)\]/g)].map(([, pid]) => pid);
    assert.equal(pids.length, 2, output);
    assert.equal(pids[0], pids[1], 'one process');
    // Each file's hooks around its own tests only: the first file is done before the second begins.
    const order = [...output.matchAll(/\[(first|second) (before|test|after)[^\]]*\]/g)].map(([, file, step]) => `${file} ${step}`);
    assert.deepEqual(order, ['first before', 'first test', 'first after', 'second before', 'second test', 'second after'], output);
    assert.match(output, /\[first test, opened by first\]/);
    assert.match(output, /\[second test, opened by second\]/);
    // Reported under each file's path; the failure with its message, at its line in the TypeScript source.
    assert.match(output, new RegExp(`▶ ${NODE_FOLDER}/first\\.test\\.ts\\n\\s+✔ first: sees its own before`), output);
    assert.match(output, new RegExp(`▶ ${NODE_FOLDER}/second\\.test\\.ts\\n`), output);
    assert.match(output, /✖ second: fails on purpose/);
    assert.match(output, /Expected values to be strictly equal:\n[\s\S]*\+ 'second'\n\s+- 'first'/);
    assert.match(output, new RegExp(`${NODE_FOLDER}/second\\.test\\.ts:20:10`), output);
    assert.match(output, /ℹ tests 3\n[\s\S]*ℹ fail 1/);
  });

  test("an option's value that names a folder (`--test-name-pattern demo`) is the option's, not a path", async () => {
    const { code, output } = await runScript('test-node.ts', ['--test-name-pattern', 'demo', NODE_FIXTURE]);
    assert.equal(code, 0, output);
    assert.match(output, /picked by its name .*# test name does not match pattern/, output);
    assert.match(output, /ℹ tests 2\n/, output);
  });

  test('a folder with no test files: one line that says so, exit 1, and no test runs', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sendauth-no-tests-'));
    try {
      const { code, output } = await runScript('test-node.ts', [empty]);
      assert.equal(code, 1, output);
      assert.equal(output.trim().split('\n').at(-1), `npm run test:node: no *.test.ts files in ${empty}`, output);
      assert.doesNotMatch(output, /ℹ tests/, output);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test("--test-only on a folder runs each file's `only` tests, as it does on the file alone", async () => {
    const { code, output } = await runScript('test-node.ts', [NODE_ONLY, '--test-only']);
    assert.equal(code, 0, output);
    assert.match(output, /✔ with-only: marked only/, output);
    assert.match(output, /with-only: not marked .*# 'only' option not set/, output);
    assert.match(output, /without-only: not marked .*# 'only' option not set/, output);
    assert.match(output, /ℹ pass 1\n/, output);
  });
});

describe('npm run test:node, interrupted', () => {
  async function interrupt(signal: NodeJS.Signals, target: 'group' | 'script'): Promise<Run & { entry: string; left: string[] }> {
    const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
    const marker = randomUUID();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test-node.ts', NODE_SLOW], {
      cwd: repoRoot,
      env: { ...parentEnv, SENDAUTH_TEST_RUN: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const group = child.pid!;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/\[slow started, pid \d+, entry (.+)\]/.test(output)) {
        assert.ok(Date.now() < deadline, `the slow test did not start:\n${output}`);
        await delay(100);
      }
      process.kill(target === 'group' ? -group : group, signal);
      const code = await closed;
      let left = processesOf(marker, group);
      for (let tries = 0; left.length > 0 && tries < 50; tries++) {
        await delay(100);
        left = processesOf(marker, group);
      }
      return { code, output, left, entry: /\[slow started, pid \d+, entry (.+)\]/.exec(output)![1]! };
    } finally {
      for (const line of processesOf(marker, group)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    }
  }

  for (const [signal, target, code] of [
    ['SIGINT', 'group', 130],
    ['SIGTERM', 'script', 143],
  ] as const) {
    test(`${signal} to the ${target === 'group' ? 'process group (Ctrl+C)' : 'script alone'}: exits ${code}, the entry file removed, nothing the tests started left running`, async () => {
      const run = await interrupt(signal, target);
      assert.deepEqual(run.left, [], `still running after ${signal}`);
      assert.equal(run.code, code, run.output);
      assert.ok(!existsSync(run.entry), `${run.entry} is left`);
    });
  }
});

describe('npm test', () => {
  /**
   * A copy of `scripts/test.ts` in a repository of its own: the real tsc (node_modules linked) on one
   * source file, and in place of the Node and browser tests, scripts that say they ran.
   */
  function fakeRepository(source: string): string {
    const root = mkdtempSync(path.join(tmpdir(), 'sendauth-npm-test-'));
    mkdirSync(path.join(root, 'scripts'));
    mkdirSync(path.join(root, 'src'));
    cpSync(path.join(repoRoot, 'scripts/test.ts'), path.join(root, 'scripts/test.ts'));
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }');
    writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['src'] }));
    writeFileSync(path.join(root, 'src/index.ts'), source);
    writeFileSync(path.join(root, 'scripts/test-node.ts'), "console.log('[node tests ran]');\nawait new Promise((resolve) => setTimeout(resolve, Number(process.env.NODE_TESTS_MS ?? 0)));\n");
    writeFileSync(path.join(root, 'scripts/test-browser.ts'), "console.log('[browser tests started]');\n");
    return root;
  }

  test('a type error is printed after the Node report with its file and line, exit 1, the browser tests not started', async () => {
    const root = fakeRepository('export const port: number = "5173";\n');
    try {
      const { code, output } = await runIn(root, []);
      assert.equal(code, 1, output);
      assert.match(output, /\[node tests ran\][\s\S]*Type-check \(tsc -p tsconfig\.json --noEmit\) FAILED:\n.*src\/index\.ts\(1,14\): error TS2322/, output);
      assert.doesNotMatch(output, /browser tests started/, output);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('Ctrl+C during the Node tests: exit 130, no browser tests, and the type-check is not reported as failed', async () => {
    const root = fakeRepository('export const port: number = 5173;\n');
    try {
      const { code, output } = await runIn(root, [], { NODE_TESTS_MS: '60000' }, 'SIGINT');
      assert.equal(code, 130, output);
      assert.doesNotMatch(output, /FAILED|browser tests started/, output);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

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
  async function interrupt(engines: string, signal: NodeJS.Signals, target: 'group' | 'script'): Promise<Run & { left: string[] }> {
    const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
    const marker = randomUUID();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test-browser.ts', '--files', SLOW_FIXTURE], {
      cwd: repoRoot,
      env: { ...parentEnv, TEST_ENGINES: engines, SENDAUTH_TEST_RUN: marker },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const group = child.pid!;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const browsers: Record<string, RegExp> = { chromium: /chromium|chrome|msedge/i, firefox: /firefox/, webkit: /MiniBrowser/ };
      const wanted = engines.split(',').map((engine) => browsers[engine]!);
      const deadline = Date.now() + 90_000;
      while (!wanted.every((browser) => processesOf(marker, group).some((line) => browser.test(line)))) {
        assert.ok(Date.now() < deadline, `the browsers did not start:\n${output}`);
        await delay(200);
      }
      await delay(2_000); // the test page is open and waiting
      process.kill(target === 'group' ? -group : group, signal);
      const code = await closed;
      // The runner's children close as it does; give the last of them a moment.
      let left = processesOf(marker, group);
      for (let tries = 0; left.length > 0 && tries < 50; tries++) {
        await delay(100);
        left = processesOf(marker, group);
      }
      return { code, output, left };
    } finally {
      // Whatever the assertions say, nothing of this run outlives the test.
      for (const line of processesOf(marker, group)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    }
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

/**
 * Every process that carries `marker` in its environment, as `pid command` lines: the run's own,
 * whatever process group it put itself in (puppeteer starts each browser in a group of its own) and
 * whoever its parent is now. Read from /proc (Linux); elsewhere, the process group `group` only.
 */
function processesOf(marker: string, group: number): string[] {
  if (!existsSync('/proc/self/environ')) {
    return execFileSync('ps', ['-A', '-o', 'pid=,pgid=,args='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, pgid]) => Number(pgid) === group)
      .map(([pid, , ...args]) => `${pid} ${args.join(' ')}`);
  }
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`SENDAUTH_TEST_RUN=${marker}`)) return [];
        return [`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ').slice(0, 200)}`];
      } catch {
        return []; // gone meanwhile, or not ours to read
      }
    });
}

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
