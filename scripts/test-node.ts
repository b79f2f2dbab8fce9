/**
 * `npm run test:node`: every Node test file under `test/` (not `test/browser/`,
 * which web-test-runner runs), through Node's own runner with the spec
 * reporter, at least two files at a time: Node's default, one less than the
 * cores, would run them one by one on a two-core machine, where much of each
 * file's time is spent waiting on servers, child processes and timers.
 * Arguments are passed to `node --test` (`-- --test-name-pattern=Redis`);
 * file arguments replace the default list.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/**
 * The folders whose files take longest first (the packed package in a consumer project, the demo
 * in a browser, the builds), so the many short files fill the slots at the end instead of one
 * long file running alone there.
 */
const FOLDERS = ['consumer', 'demo', 'build', 'proxy', 'emulator', 'ssr', 'api'];

const args = process.argv.slice(2);
// Listed here: Node 20's runner takes paths, not globs, and a shell may not be there to expand them.
const files = args.some((arg) => arg.endsWith('.test.ts'))
  ? []
  : FOLDERS.flatMap((folder) =>
      readdirSync(`${repoRoot}test/${folder}`)
        .filter((file) => file.endsWith('.test.ts'))
        .sort()
        .map((file) => `test/${folder}/${file}`),
    );
const concurrency = Math.max(2, availableParallelism() - 1);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...args, ...files], {
  cwd: repoRoot,
  stdio: 'inherit',
});
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
