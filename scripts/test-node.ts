/**
 * `npm run test:node`: every Node test file under `test/` (not `test/browser/`,
 * which web-test-runner runs), through Node's own runner with the spec
 * reporter, at least two processes at a time: Node's default, one less than
 * the cores, would run them one by one on a two-core machine, where much of
 * each file's time is spent waiting on servers, child processes and timers.
 *
 * A folder's files run in one Node process, one file after another, each file
 * a suite of its own named by its path, whose top-level hooks (`before`,
 * `after`, …) are its own, as they are when it runs alone. Starting Node and
 * loading the code under test (TypeScript through tsx, Hono, SimpleWebAuthn)
 * costs about 1.5 s of CPU a process, more than most files' tests take, so
 * `test/proxy` (35 files) runs in 37 s of CPU instead of 116. What a folder's
 * files share is the process: its module instances and globals. A file named
 * on its own runs in a process of its own, as Node runs it
 * (`npm run test:node -- test/proxy/*.test.ts` checks each file alone).
 *
 * Arguments are passed to `node --test` (`-- --test-name-pattern=Redis`),
 * before or after the paths (Node itself reads options only before the first
 * file); paths (one that exists, or ends in `.ts`/`.js`, and is not the value
 * of the option before it; a folder stands for its `*.test.ts` files, in one
 * process, and one without any is an error) replace the default list. Source
 * maps are on, so a failing test is reported at its line in the TypeScript
 * source.
 *
 * Interrupted (Ctrl+C, SIGTERM, SIGHUP), it passes the signal on to the
 * runner's whole process group, what the tests started included, and exits
 * 128 + the signal's number.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, constants, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/**
 * The folders whose files take longest first (the demo in a browser, the packed package in a
 * consumer project, the builds), so the short ones fill the slots at the end instead of one long
 * one running alone there.
 */
const FOLDERS = ['demo', 'consumer', 'build', 'proxy', 'emulator', 'api', 'ssr'];

/** The `*.test.ts` files directly in `folder` (relative to the repository), sorted. */
const testFilesIn = (folder: string): string[] =>
  readdirSync(path.resolve(repoRoot, folder))
    .filter((file) => file.endsWith('.test.ts'))
    .sort()
    .map((file) => path.join(folder, file));

/** Node's options that take a value, which may stand in the next argument (`--test-name-pattern demo`). */
const TAKES_VALUE = new Set([
  '--test-name-pattern',
  '--test-reporter',
  '--test-reporter-destination',
  '--test-concurrency',
  '--test-timeout',
  '--test-shard',
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--conditions',
  '-C',
  '--env-file',
]);
/** A path to test, as opposed to an option or an option's value (`--test-name-pattern Redis`, `--test-name-pattern demo`). */
const isPath = (arg: string, index: number, all: string[]): boolean =>
  !arg.startsWith('-') && !TAKES_VALUE.has(all[index - 1] ?? '') && (/\.[cm]?[jt]s$/.test(arg) || existsSync(path.resolve(repoRoot, arg)));
const isFolder = (arg: string): boolean => existsSync(path.resolve(repoRoot, arg)) && statSync(path.resolve(repoRoot, arg)).isDirectory();

/** Where the folders' entry files are written; removed when the run ends. */
let entries: string | undefined;
process.on('exit', () => {
  if (entries) rmSync(entries, { recursive: true, force: true });
});

/**
 * What `node --test` is given for `folder`: its one file, or an entry module that imports each of its
 * files inside a suite named by the file's path (a suite's hooks are those registered while its
 * function runs, so a file's top-level hooks are its own).
 */
function folderEntry(folder: string): string[] {
  const files = testFilesIn(folder);
  if (files.length === 0) {
    // Else `node --test` would be given no file and look for tests of its own all over the repository.
    console.error(`npm run test:node: no *.test.ts files in ${folder}`);
    process.exit(1);
  }
  if (files.length === 1) return files;
  entries ??= mkdtempSync(path.join(tmpdir(), 'sendauth-test-node-'));
  const entry = path.join(entries, `${folder.replace(/[\\/]+/g, '-').replace(/^-+|-+$/g, '')}.test.mjs`);
  // With --test-only, a file's `only` tests run in the suite as they do alone, not skipped with it.
  const suiteOptions = options.includes('--test-only') ? '{ only: true }, ' : '';
  const suites = files.map(
    (file) => `describe(${JSON.stringify(file)}, ${suiteOptions}() => import(${JSON.stringify(pathToFileURL(path.resolve(repoRoot, file)).href)}));`,
  );
  writeFileSync(entry, [`// ${folder}: its files one after another in one process (scripts/test-node.ts).`, "import { describe } from 'node:test';", ...suites, ''].join('\n'));
  return [entry];
}

const args = process.argv.slice(2);
const options = args.filter((arg, index) => !isPath(arg, index, args));
const paths = args.filter(isPath);
// Listed here: Node 20's runner takes paths, not globs (nor finds `.ts` files in a folder), and a
// shell may not be there to expand them.
const files =
  paths.length > 0 ? paths.flatMap((arg) => (isFolder(arg) ? folderEntry(arg) : [arg])) : FOLDERS.flatMap((folder) => folderEntry(`test/${folder}`));
const concurrency = Math.max(2, availableParallelism() - 1);
/** The spec reporter unless a `--test-reporter` of one's own is given (Node pairs reporters with destinations). */
const reporter = options.some((arg) => arg.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec'];
const child = spawn(
  process.execPath,
  ['--enable-source-maps', '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...reporter, ...options, ...files],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    detached: true,
  },
);
// The runner has a process group of its own, which a signal to this one (Ctrl+C reaches it with its
// group; SIGTERM or SIGHUP may be sent to it alone) is passed on to whole: Node's runner, its test
// files' processes and what those started (servers, redis-server), none of which would otherwise
// have seen a SIGTERM. This process waits for the runner to stop, so the entry files are removed,
// and exits 128 + the signal's number.
let interruptedBy: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interruptedBy = signal;
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Gone already.
    }
  });
}
child.on('close', (code, signal) => {
  const by = interruptedBy ?? signal;
  process.exit(by ? 128 + constants.signals[by] : (code ?? 0));
});
