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
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { planEngines, type Engine } from '../test/support/browsers.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const wtr = fileURLToPath(new URL('../node_modules/@web/test-runner/dist/bin.js', import.meta.url));

interface Ran {
  engine: Engine;
  code: number;
  seconds: number;
}

/** A free loopback port for one web-test-runner (bound, then released), so two never race for one. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Runs the suite in `engine`; its output streams when `stream`, else is printed whole at the end. */
async function runEngine(engine: Engine, port: number, stream: boolean): Promise<Ran> {
  const started = performance.now();
  const child = spawn(process.execPath, [wtr, '--config', 'web-test-runner.config.ts', '--port', String(port), ...process.argv.slice(2)], {
    cwd: repoRoot,
    env: { ...process.env, TEST_ENGINES: engine, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=tsx`.trim() },
    stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
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
  const seconds = (performance.now() - started) / 1000;
  if (!stream) {
    process.stdout.write(`\n──────── ${engine}: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(0)} s ────────\n`);
    process.stdout.write(Buffer.concat(output));
  }
  return { engine, code, seconds };
}

const plan = planEngines();
const engines = Object.keys(plan.found) as Engine[];
for (const { engine, hint } of plan.skipped) console.log(`Not run: ${engine}, not installed here: ${hint}.`);
const limit = Math.max(1, Number(process.env.TEST_ENGINE_CONCURRENCY ?? engines.length) || engines.length);

if (engines.length === 1) {
  process.exit((await runEngine(engines[0]!, await freePort(), true)).code);
}

console.log(`Browser engines side by side (${Math.min(limit, engines.length)} at a time): ${engines.join(', ')}; each report follows when its engine is done.`);
const queue = [...engines];
const results: Ran[] = [];
await Promise.all(
  Array.from({ length: Math.min(limit, engines.length) }, async () => {
    for (let engine = queue.shift(); engine; engine = queue.shift()) {
      console.log(`${engine}: running`);
      results.push(await runEngine(engine, await freePort(), false));
    }
  }),
);
console.log('\nBrowser engines:');
for (const { engine, code, seconds } of results.sort((a, b) => engines.indexOf(a.engine) - engines.indexOf(b.engine))) {
  console.log(`  ${engine.padEnd(9)} ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(0)} s`);
}
process.exit(results.every((ran) => ran.code === 0) ? 0 : 1);
