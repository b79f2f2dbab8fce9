/**
 * `npm test`: the type-check (`tsc -p tsconfig.json --noEmit`, what `npm run
 * typecheck` runs) beside the Node tests (`scripts/test-node.ts`), then, when
 * both passed, the browser tests (`scripts/test-browser.ts`).
 *
 * The type-check runs at a lower priority (nice 10) with its output held until
 * it ends: the Node tests spend part of their time waiting on servers,
 * browsers and child processes, and the type-check takes that processor time
 * instead of about 14 s of its own before them. Its errors, if any, are
 * printed after the Node tests' report, and the run then stops as a failing
 * Node test stops it: without the browser tests, with exit code 1.
 *
 * Interrupted (Ctrl+C reaches every process of the group by itself; SIGTERM or
 * SIGHUP to this process alone is passed on to what is running), it starts
 * nothing more and exits 128 + the signal's number.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

const running = new Set<ChildProcess>();
let interruptedBy: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interruptedBy = signal;
    // Ctrl+C has reached the children already (same process group); a signal to this process alone has not.
    if (signal !== 'SIGINT') for (const child of running) child.kill(signal);
  });
}

interface Ran {
  code: number;
  /** What it printed, when it was held rather than streamed. */
  output: string;
}

/** Runs `node args…` from the repository; streams its output, or holds it when `hold`. */
function runNode(args: string[], { hold = false, niceness = 0 } = {}): Promise<Ran> {
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  running.add(child);
  if (niceness && child.pid) {
    try {
      setPriority(child.pid, niceness);
    } catch {
      // Not allowed here (some containers): it runs at the normal priority, which is only slower.
    }
  }
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code: code ?? (signal ? 128 + constants.signals[signal] : 1), output: Buffer.concat(chunks).toString() });
    });
  });
}

const exit = (code: number): never => process.exit(interruptedBy ? 128 + constants.signals[interruptedBy] : code);

const typecheck = runNode([tsc, '-p', 'tsconfig.json', '--noEmit', ...(process.stdout.isTTY ? ['--pretty'] : [])], { hold: true, niceness: 10 });
const nodeTests = await runNode(['--import', 'tsx', 'scripts/test-node.ts']);
const types = await typecheck;
if (types.code === 0) {
  console.log('\nType-check (tsc -p tsconfig.json --noEmit): no errors.');
} else if (interruptedBy && types.code === 128 + constants.signals[interruptedBy]) {
  // Ended by the signal before it was done (had it found errors, they are printed below).
  console.log(`\nType-check (tsc -p tsconfig.json --noEmit): interrupted by ${interruptedBy}.`);
} else {
  process.stdout.write(`\nType-check (tsc -p tsconfig.json --noEmit) FAILED:\n${types.output}\n`);
}
if (interruptedBy || nodeTests.code !== 0 || types.code !== 0) exit(1);

const browserTests = await runNode(['--import', 'tsx', 'scripts/test-browser.ts']);
exit(browserTests.code === 0 ? 0 : 1);
