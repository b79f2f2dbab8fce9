/**
 * `npm run test:node`: every Node test file under `test/` (not `test/browser/`,
 * which web-test-runner runs), through Node's own runner with the spec
 * reporter, at least two files at a time: Node's default, one less than the
 * cores, would run them one by one on a two-core machine, where much of each
 * file's time is spent waiting on servers, child processes and timers.
 * Arguments are passed to `node --test` (`-- --test-name-pattern=Redis`), before
 * or after the files (Node itself reads options only before the first file);
 * file arguments (a path that exists, or ends in `.ts`/`.js`; a folder stands
 * for its `*.test.ts` files) replace the default list. Source maps are on, so
 * a failing test is reported at its line in the TypeScript source.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/**
 * The folders whose files take longest first (the packed package in a consumer project, the demo
 * in a browser, the builds), so the many short files fill the slots at the end instead of one
 * long file running alone there.
 */
const FOLDERS = ['consumer', 'demo', 'build', 'proxy', 'emulator', 'ssr', 'api'];

/** The `*.test.ts` files directly in `folder` (relative to the repository), sorted. */
const testFilesIn = (folder: string): string[] =>
  readdirSync(path.resolve(repoRoot, folder))
    .filter((file) => file.endsWith('.test.ts'))
    .sort()
    .map((file) => path.join(folder, file));

/** A path to test, as opposed to an option or an option's value (`--test-name-pattern Redis`). */
const isPath = (arg: string): boolean => !arg.startsWith('-') && (/\.[cm]?[jt]s$/.test(arg) || existsSync(path.resolve(repoRoot, arg)));
const isFolder = (arg: string): boolean => existsSync(path.resolve(repoRoot, arg)) && statSync(path.resolve(repoRoot, arg)).isDirectory();

const args = process.argv.slice(2);
const options = args.filter((arg) => !isPath(arg));
const paths = args.filter(isPath);
// Listed here: Node 20's runner takes paths, not globs (nor finds `.ts` files in a folder), and a
// shell may not be there to expand them.
const files =
  paths.length > 0
    ? paths.flatMap((arg) => (isFolder(arg) ? testFilesIn(arg) : [arg]))
    : FOLDERS.flatMap((folder) => testFilesIn(`test/${folder}`));
const concurrency = Math.max(2, availableParallelism() - 1);
/** The spec reporter unless a `--test-reporter` of one's own is given (Node pairs reporters with destinations). */
const reporter = options.some((arg) => arg.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec'];
const child = spawn(
  process.execPath,
  ['--enable-source-maps', '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...reporter, ...options, ...files],
  {
    cwd: repoRoot,
    stdio: 'inherit',
  },
);
// SIGTERM or SIGHUP to this process alone (Ctrl+C reaches the whole process group by itself) is
// passed on, so Node's runner does not go on without it.
for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 128 + constants.signals[signal] : 0)));
