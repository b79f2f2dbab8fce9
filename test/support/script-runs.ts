/**
 * The test runners' scripts (`scripts/test-node.ts`, `scripts/test-browser.ts`) run as `npm run`
 * runs them, for `test/build/node-runner.test.ts` and `test/build/browser-runner.test.ts`: to the
 * end, or interrupted by a signal once they are under way, and then every process they started
 * that is still running.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Run {
  code: number | null;
  /** stdout and stderr together. */
  output: string;
}

/** The environment a run gets: without NODE_TEST_CONTEXT, which the test's own runner sets (with it, a `node --test` inside only warns). */
export function runEnvironment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
  return { ...parentEnv, ...env };
}

/** Runs `script` (a file in `scripts/`) with `args` as `npm run` would, and collects stdout and stderr together. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], {
      cwd: repoRoot,
      env: runEnvironment(env),
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

export interface Interruption {
  script: string;
  args: string[];
  env?: Record<string, string>;
  /** Whether the run is under way, from what it printed and its processes (`pid command` lines). */
  started: (output: string, processes: string[]) => boolean;
  /** What the failure says when it is not under way within `startMs`. */
  notStarted: string;
  /** How long to wait for it, ms. @default 90_000 */
  startMs?: number;
  /** How long to wait once it is under way, before the signal, ms. @default 0 */
  settleMs?: number;
  signal: NodeJS.Signals;
  /** Its whole process group (as Ctrl+C does), or the script's process alone. */
  target: 'group' | 'script';
}

/**
 * Starts `script` in a process group of its own, sends `signal` once it is under way, waits for it to
 * exit, and returns its exit code, its output and the processes of the run still running a moment
 * later (`left`). Whatever the assertions say, nothing of the run outlives the call.
 */
export async function interruptScript(run: Interruption): Promise<Run & { left: string[] }> {
  const marker = randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${run.script}`, ...run.args], {
    cwd: repoRoot,
    env: runEnvironment({ ...run.env, SENDAUTH_TEST_RUN: marker }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const group = child.pid!;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    const deadline = Date.now() + (run.startMs ?? 90_000);
    for (let processes = processesOf(marker, group); !run.started(output, processes); processes = processesOf(marker, group)) {
      assert.ok(Date.now() < deadline, `${run.notStarted}:\n${output}\nIts processes:\n${processes.join('\n')}`);
      await delay(100);
    }
    if (run.settleMs) await delay(run.settleMs);
    process.kill(run.target === 'group' ? -group : group, run.signal);
    const code = await closed;
    // The runner's children close as it does; give the last of them a moment.
    let left = processesOf(marker, group);
    for (let tries = 0; left.length > 0 && tries < 50; tries++) {
      await delay(100);
      left = processesOf(marker, group);
    }
    return { code, output, left };
  } finally {
    for (const line of processesOf(marker, group)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
  }
}

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

