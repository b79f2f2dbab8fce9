/**
 * The error registry (`src/error-codes.ts`) is the one place a code's facts
 * live. Proved by doing it: a copy of `src/` gains a code in the registry,
 * the locale files and the README only; the copy type-checks (no other table
 * must change), and every layer then answers the new code by the registry —
 * the SendAuth client's mapping, the proxy's status and passing-on, the
 * element's `retryable`, the README check.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { ERROR_CODES, errorFacts } from '../../src/error-codes.js';
import { STATUS_CODES } from '../../src/api/status-codes.js';
import { errorTableProblems, type ErrorRowFacts } from '../support/readme-tables.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repo, so the copy resolves `lit`, `hono`, … from the repo's node_modules.
const copyRoot = path.join(repoRoot, 'node_modules', '.cache', `error-registry-test-${process.pid}`);
const NEW_CODE = 'example-code';

describe('the registry, as it is', () => {
  test('no two codes claim the same SendAuth answer of one operation, nor the same TX state', () => {
    const claims = new Map<string, string>();
    for (const code of ERROR_CODES) {
      for (const state of errorFacts(code).states ?? []) {
        assert.ok(!claims.has(`state:${state}`), `state ${state}: ${claims.get(`state:${state}`)} and ${code}`);
        claims.set(`state:${state}`, code);
      }
    }
    // Each operation's derived table is a function of status; a code it names must list that status.
    for (const [operation, table] of Object.entries(STATUS_CODES)) {
      for (const [status, code] of Object.entries(table)) {
        assert.ok(code && errorFacts(code).answers?.[Number(status)] !== undefined, `${operation} ${status} → ${code}`);
      }
    }
  });

  test('a browser-only code has status 0 and never a SendAuth answer; every other has a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      const facts = errorFacts(code);
      if (facts.status === 0) assert.equal(facts.answers, undefined, code);
      else assert.ok(facts.status >= 400 && facts.status < 600, code);
    }
  });
});

describe('adding a code touches the registry, the locale files and the README only', () => {
  before(async () => {
    await rm(copyRoot, { recursive: true, force: true });
    await mkdir(copyRoot, { recursive: true });
    await cp(path.join(repoRoot, 'src'), path.join(copyRoot, 'src'), { recursive: true });

    const registry = path.join(copyRoot, 'src', 'error-codes.ts');
    const source = await readFile(registry, 'utf8');
    const closing = '} as const satisfies Record<string, ErrorCodeFacts>;';
    assert.ok(source.includes(closing), 'the registry literal ends as expected');
    await writeFile(
      registry,
      source.replace(closing, `  '${NEW_CODE}': { status: 418, retryable: true, summary: 'an example', answers: { 418: '*' } },\n${closing}`),
    );

    const locales = path.join(copyRoot, 'src', 'elements', 'locales');
    for (const file of await readdir(locales)) {
      const text = await readFile(path.join(locales, file), 'utf8');
      assert.ok(text.includes('  errors: {\n'), `${file} has an errors table`);
      await writeFile(path.join(locales, file), text.replace('  errors: {\n', `  errors: {\n    '${NEW_CODE}': 'An example (${file}).',\n`));
    }

    await writeFile(
      path.join(copyRoot, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(repoRoot, 'tsconfig.json'), compilerOptions: { types: ['node'] }, include: ['src'] }),
    );
  });
  after(() => rm(copyRoot, { recursive: true, force: true }));

  test('the copy type-checks: no other table is total over the codes', async () => {
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await promisify(execFile)(process.execPath, [tsc, '--noEmit', '-p', path.join(copyRoot, 'tsconfig.json')], { cwd: copyRoot }).catch(
      (error: { stdout?: string }) => assert.fail(`tsc failed on the copy:\n${error.stdout ?? String(error)}`),
    );
  });

  test('every layer answers the new code by the registry', async () => {
    const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(copyRoot, 'src', file)).href) as Promise<T>;
    const codes = await load<typeof import('../../src/error-codes.js')>('error-codes.ts');
    const statusCodes = await load<typeof import('../../src/api/status-codes.js')>('api/status-codes.ts');
    const refusal = await load<typeof import('../../src/proxy/proxy-refusal.js')>('proxy/proxy-refusal.ts');
    const apiErrors = await load<typeof import('../../src/api/errors.js')>('api/errors.ts');
    const en = (await load<typeof import('../../src/elements/locales/en.js')>('elements/locales/en.ts')).en;
    const code = NEW_CODE as import('../../src/error-codes.js').ErrorCode;

    assert.ok(codes.isErrorCode(NEW_CODE));
    assert.equal(codes.isRetryable(code), true, 'the element’s retryable');
    assert.equal(statusCodes.errorCodeFor('getUser', 418), NEW_CODE, 'the client maps SendAuth’s 418');
    assert.equal(statusCodes.describeStatus(code, 418), 'an example');
    assert.equal(new refusal.ProxyRefusal(code, 'x').status, 418, 'the proxy’s status');
    const fromSendAuth = refusal.refusalFromSendAuth(new apiErrors.SendAuthError({ operation: 'getUser', status: 418, code, message: 'x' }));
    assert.deepEqual([fromSendAuth.code, fromSendAuth.status], [NEW_CODE, 418], 'the proxy passes the SendAuth answer on');
    assert.equal(en.errors[code], 'An example (en.ts).');

    const facts: ErrorRowFacts = {
      codes: codes.ERROR_CODES,
      message: (c) => en.errors[c as typeof code],
      retryable: (c) => codes.isRetryable(c as typeof code),
      status: (c) => codes.errorFacts(c as typeof code).status,
    };
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    assert.deepEqual(errorTableProblems(readme, facts), [`README has no row for error code ${NEW_CODE}`], 'the README check notices');
    const row = `| \`${NEW_CODE}\` | 418 | yes | An example (en.ts). |\n`;
    const withRow = readme.replace(/(### Error codes\n[\s\S]*?\n)(\| `not-supported`)/, `$1${row}$2`);
    assert.deepEqual(errorTableProblems(withRow, facts), [], 'and is satisfied by the row');
  });
});
