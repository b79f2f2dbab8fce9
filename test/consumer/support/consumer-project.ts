/**
 * The package as a new user gets it: built and packed with `npm pack` from a
 * copy of what npm would publish (the repository's own `dist/` is left
 * alone), then installed from the tarball into a temporary project, offline:
 * the tarball is unpacked into `node_modules/@sendauth/elements` and the
 * packages it depends on (and the consumer's own: lit, vite's peers, type
 * packages) are linked from this repository's `node_modules`, as a flat
 * `npm install` would lay them out.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, open, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface Ran {
  stdout: string;
  stderr: string;
  /** The exit code (0 unless `allowFailure`). */
  code: number;
}

/**
 * Runs a command to completion. A non-zero exit throws with its stdout and
 * stderr in the message, unless `allowFailure` (for tools whose exit code
 * says "found something" and whose output says what).
 */
export async function run(command: string, args: string[], cwd: string, { allowFailure = false } = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const { stdout = '', stderr = '', code } = error as { stdout?: string; stderr?: string; code?: unknown };
    if (allowFailure && typeof code === 'number') return { stdout, stderr, code };
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, { cause: error });
  }
}

/** npm itself: the running one under `npm test`, else the one on the PATH. */
function npm(args: string[], cwd: string): Promise<Ran> {
  const cli = process.env.npm_execpath;
  return cli?.endsWith('.js') || cli?.endsWith('.cjs') ? run(process.execPath, [cli, ...args], cwd) : run('npm', args, cwd);
}

/**
 * Runs a bin of this repository's devDependencies with its stdout going to a file, and
 * returns the file's text and the exit code: for tools that print a large report and
 * `process.exit()` at once, which cuts off what is still on its way through a pipe.
 */
export async function runToolToFile(packageName: string, bin: string, args: string[], cwd: string, outFile: string): Promise<{ stdout: string; code: number }> {
  const out = await open(outFile, 'w');
  try {
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules', packageName, bin), ...args], {
      cwd,
      stdio: ['ignore', out.fd, 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode ?? 1));
    });
    return { stdout: await readFile(outFile, 'utf8'), code };
  } finally {
    await out.close();
  }
}

/** Runs a bin of this repository's devDependencies with Node. */
export function runTool(packageName: string, bin: string, args: string[], cwd: string, options?: { allowFailure?: boolean }): Promise<Ran> {
  return run(process.execPath, [path.join(repoRoot, 'node_modules', packageName, bin), ...args], cwd, options);
}

/** What the build reads besides the files npm publishes. */
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'vite.config.ts', 'scripts'];

export interface PackedPackage {
  /** The `.tgz` npm wrote. */
  tarball: string;
  /** The folder it was packed from (built, with `dist/`): for publint. */
  folder: string;
}

/**
 * Copies the files `npm pack` would take (less `dist/`) and the build's
 * inputs into `workDir/package`, runs `npm run build` there and packs it.
 */
export async function packPackage(workDir: string): Promise<PackedPackage> {
  const folder = path.join(workDir, 'package');
  const listed = JSON.parse((await npm(['pack', '--dry-run', '--json', '--ignore-scripts'], repoRoot)).stdout) as Array<{ files: Array<{ path: string }> }>;
  const files = listed[0]!.files.map((file) => file.path).filter((file) => !file.startsWith('dist/'));
  for (const file of [...files, ...BUILD_INPUTS]) {
    await cp(path.join(repoRoot, file), path.join(folder, file), { recursive: true });
  }
  await symlink(path.join(repoRoot, 'node_modules'), path.join(folder, 'node_modules'), 'junction');
  await npm(['run', 'build'], folder);
  const packed = JSON.parse((await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], folder)).stdout) as Array<{ filename: string }>;
  return { tarball: path.join(workDir, packed[0]!.filename), folder };
}

/**
 * A project at `dir` with the tarball installed and `extra` packages (the
 * project's own dependencies) linked beside the package's dependencies.
 */
export async function createConsumerProject(dir: string, tarball: string, extra: string[]): Promise<void> {
  const installed = path.join(dir, 'node_modules', '@sendauth', 'elements');
  await mkdir(installed, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], dir);
  const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies), ...extra]) {
    const link = path.join(dir, 'node_modules', name);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(path.join(repoRoot, 'node_modules', name), link, 'junction');
  }
}

/** Imports `specifier` as code in the project at `dir` would (through the package's `exports`). */
export async function importFrom<Module>(dir: string, specifier: string): Promise<Module> {
  const resolved = createRequire(path.join(dir, 'index.js')).resolve(specifier);
  return (await import(pathToFileURL(resolved).href)) as Module;
}

/** Copies a fixture folder of `test/consumer/fixtures/` into the project. */
export function copyFixture(name: string, dir: string): Promise<void> {
  return cp(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), dir, { recursive: true });
}
