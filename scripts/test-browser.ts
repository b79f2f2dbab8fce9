/**
 * `npm run test:browser`: the browser suite (`web-test-runner.config.ts`) in
 * every engine found here, the engines side by side: one web-test-runner per
 * engine (`TEST_ENGINES=<engine>`), each with its own port and its own
 * SendAuth stack (emulators, proxies, clock, counters), so no engine's test
 * moves another's clock and each browser's one page keeps its focus. Inside
 * an engine it is still one page at a time (see the config).
 *
 * With one engine (`TEST_ENGINES=firefox`, or only Chromium installed) its
 * output streams as it runs. With several, each engine's whole report is
 * printed when that engine finishes (so no two reports interleave), then one
 * line per engine: passed or failed, and how long it took. Arguments are
 * passed to every web-test-runner (`-- --files 'test/browser/elements/*.test.ts'`).
 * `TEST_ENGINE_CONCURRENCY` caps how many run at once (default: all).
 * Exits 1 when any engine failed.
 *
 * Interrupted (Ctrl+C, or SIGTERM or SIGHUP to this process alone), it asks
 * every web-test-runner to stop as Ctrl+C does (SIGINT: web-test-runner
 * handles no other signal, and closes its browsers, Xvfb and servers on it),
 * starts no other engine, prints what each engine had reported so far, and
 * exits 128 + the signal's number (130 for Ctrl+C).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { planEngines, type Engine } from '../test/support/browsers.js';
import { freePort } from '../test/support/free-port.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const wtr = fileURLToPath(new URL('../node_modules/@web/test-runner/dist/bin.js', import.meta.url));

interface Ran {
  engine: Engine;
  code: number;
  seconds: number;
}

/** The web-test-runners running now, and the signal that interrupted this run, if one did. */
const running = new Set<ChildProcess>();
let interruptedBy: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // A second signal while they stop: leave at once (each runner has already been asked to stop).
    if (interruptedBy) process.exit(128 + constants.signals[interruptedBy]);
    interruptedBy = signal;
    for (const child of running) child.kill('SIGINT');
  });
}

/**
 * A report captured from a pipe, for printing later: without the cursor movements and line clearing
 * of web-test-runner's progress display (ESC [ 1A, ESC [ 2K, ESC [ G), which mean nothing once the
 * report is printed after another engine's, and litter a log; colours stay.
 */
const withoutCursorMovement = (text: string): string => text.replace(/\x1b\[\d*[ABCDGJK]/g, '');


/** Runs the suite in `engine`; its output streams when `stream`, else is printed whole at the end. */
async function runEngine(engine: Engine, port: number, stream: boolean): Promise<Ran> {
  const started = performance.now();
  const child = spawn(process.execPath, [wtr, '--config', 'web-test-runner.config.ts', '--port', String(port), ...process.argv.slice(2)], {
    cwd: repoRoot,
    env: { ...process.env, TEST_ENGINES: engine, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=tsx`.trim() },
    stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
  const code = await new Promise<number>((resolve) => {
    child.on('error', (error) => {
      output.push(Buffer.from(`${String(error)}\n`));
      resolve(1);
    });
    child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  running.delete(child);
  const seconds = (performance.now() - started) / 1000;
  if (!stream) {
    const outcome = interruptedBy ? `interrupted after ${seconds.toFixed(0)} s, its report so far` : `${code === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(0)} s`;
    process.stdout.write(`\n──────── ${engine}: ${outcome} ────────\n`);
    process.stdout.write(withoutCursorMovement(Buffer.concat(output).toString()));
  }
  return { engine, code, seconds };
}

/** What a bad setting says (without a stack trace), and the exit code 1. */
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}

let plan: ReturnType<typeof planEngines>;
try {
  plan = planEngines();
} catch (error) {
  refuse((error as Error).message);
}
const engines = Object.keys(plan.found) as Engine[];
for (const { engine, hint } of plan.skipped) console.log(`Not run: ${engine}, not installed here: ${hint}.`);
const concurrency = process.env.TEST_ENGINE_CONCURRENCY?.trim() || String(engines.length);
if (!/^[1-9]\d*$/.test(concurrency)) refuse(`TEST_ENGINE_CONCURRENCY must be a whole number from 1 (one engine after the other) up; got "${concurrency}".`);
const limit = Number(concurrency);
/** The exit code once every engine has closed: 128 + the signal's number when one interrupted the run. */
const exitCode = (failed: boolean): number => (interruptedBy ? 128 + constants.signals[interruptedBy] : failed ? 1 : 0);

if (engines.length === 1) {
  const { code } = await runEngine(engines[0]!, await freePort('localhost'), true);
  process.exit(exitCode(code !== 0));
}

const layout = limit === 1 ? 'one after the other' : `side by side (${Math.min(limit, engines.length)} at a time)`;
console.log(`Browser engines ${layout}: ${engines.join(', ')}; each report follows when its engine is done.`);
const queue = [...engines];
const results: Ran[] = [];
await Promise.all(
  Array.from({ length: Math.min(limit, engines.length) }, async () => {
    for (let engine = queue.shift(); engine && !interruptedBy; engine = queue.shift()) {
      console.log(`${engine}: running`);
      results.push(await runEngine(engine, await freePort('localhost'), false));
    }
  }),
);
console.log(interruptedBy ? `\nBrowser engines (interrupted by ${interruptedBy}):` : '\nBrowser engines:');
for (const { engine, code, seconds } of results.sort((a, b) => engines.indexOf(a.engine) - engines.indexOf(b.engine))) {
  const outcome = interruptedBy ? 'interrupted after' : code === 0 ? 'passed in' : `FAILED (exit ${code}) in`;
  console.log(`  ${engine.padEnd(9)} ${outcome} ${seconds.toFixed(0)} s`);
}
for (const engine of queue) console.log(`  ${engine.padEnd(9)} not started`);
process.exit(exitCode(results.some((ran) => ran.code !== 0)));
