/**
 * The package as a new user meets it (issue 14): `npm pack`, installed from
 * the tarball into a temporary project, offline. The package checks (attw,
 * publint), a Vite app with a Lit element of its own (lit shipped once, the
 * app grows by no more than our code) that then signs up and in for real,
 * Node without a browser, the server side (`./server`, `./emulator`, the
 * `sendauth-emulator` bin, `support/server-entries.ts`), and the types under every module resolution and
 * in React 19, Vue 3 and Svelte 5 templates, with wrong uses failing.
 */
import assert from 'node:assert/strict';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { launchBrowser, newPageWithAuthenticator, recordPageProblems, waitForElements } from '../demo/browser.js';
import { DROP_IN_LOCALES } from '../../scripts/drop-in-locales.js';
import { copyFixture, createConsumerProject, packPackage, run, runTool, runToolToFile, type PackedPackage } from './support/consumer-project.js';
import { serveApp } from './support/serve-app.js';
import { describeServerEntries } from './support/server-entries.js';
import { buildAddition, buildApp, kB, type ShippedSize } from './support/vite-app.js';

/** What the consumer project installs besides the package (linked from this repository). */
const CONSUMER_PACKAGES = ['vite', '@types/node', '@types/react', 'vue', 'svelte'];

let workDir: string;
let packed: PackedPackage;
let project: string;
let installed: string;

before(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'sendauth-consumer-'));
  packed = await packPackage(workDir);
  project = path.join(workDir, 'consumer');
  installed = path.join(project, 'node_modules', '@sendauth', 'elements');
  await createConsumerProject(project, packed.tarball, CONSUMER_PACKAGES);
  for (const fixture of ['apps', 'types', 'react', 'vue', 'svelte']) await copyFixture(fixture, path.join(project, fixture));
});

after(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the package checks', () => {
  test('attw reports no problem but CJSResolvesToESM, and every entry has types under node10, node16 and bundler', async () => {
    const attw = ['@arethetypeswrong/cli', 'dist/index.js'] as const;
    // Every language module is an entry of its own (the wildcard `./locales/*` export), English too.
    const entrypoints = ['--include-entrypoints', './locales/en', ...DROP_IN_LOCALES.map((lang) => `./locales/${lang}`)];
    // attw exits 1 for any problem; its JSON says which.
    const { stdout } = await runToolToFile(...attw, [packed.tarball, ...entrypoints, '--format', 'json'], project, path.join(workDir, 'attw.json'));
    const report = JSON.parse(stdout) as {
      analysis: {
        problems: Array<{ kind: string; entrypoint?: string; resolutionKind?: string }>;
        entrypoints: Record<
          string,
          { isWildcard: boolean; resolutions: Record<string, { resolution?: { fileName: string; isTypeScript: boolean } }> }
        >;
      };
    };
    const problems = report.analysis.problems.filter((problem) => problem.kind !== 'CJSResolvesToESM');
    assert.deepEqual(problems, [], 'attw found problems besides CJSResolvesToESM');
    for (const [entrypoint, { isWildcard, resolutions }] of Object.entries(report.analysis.entrypoints)) {
      if (entrypoint === './package.json' || isWildcard) continue;
      for (const mode of ['node10', 'node16-esm', 'bundler']) {
        const resolved = resolutions[mode]?.resolution;
        assert.ok(resolved?.isTypeScript && resolved.fileName.endsWith('.d.ts'), `${entrypoint} has no types under ${mode}`);
      }
    }
    const entries = Object.keys(report.analysis.entrypoints).sort();
    for (const entry of ['.', './server', './emulator', './react', './vue', './svelte', ...DROP_IN_LOCALES.map((lang) => `./locales/${lang}`)]) {
      assert.ok(entries.includes(entry), entry);
    }

    // The command the README gives, as a person runs it: exit 0.
    const { stdout: summary } = await runTool(...attw, [packed.tarball, ...entrypoints, '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii'], project);
    assert.match(summary, /No problems found/);
  });

  test('publint --strict finds nothing', async () => {
    const { stdout } = await runTool('publint', 'src/cli.js', ['--strict', packed.folder], project);
    assert.match(stdout, /All good!/);
  });

  test('the tarball has LICENSE, the repository links, and a source map for every JavaScript and declaration file in dist/', async () => {
    assert.match(await readFile(path.join(installed, 'LICENSE'), 'utf8'), /^MIT License/);
    const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(manifest.repository, { type: 'git', url: 'git+https://github.com/sendauth/elements.git' });
    assert.equal(manifest.homepage, 'https://github.com/sendauth/elements#readme');
    assert.deepEqual(manifest.bugs, { url: 'https://github.com/sendauth/elements/issues' });

    const dist = path.join(installed, 'dist');
    const files = (await readdir(dist, { recursive: true })).filter((file) => /\.(js|d\.ts)$/.test(file));
    assert.ok(files.length > 50, `${files.length} files in dist/`);
    for (const file of files) {
      const text = await readFile(path.join(dist, file), 'utf8');
      // Copied as they are (the emulator's page scripts): the file is its own source, shipped in src/.
      const copiedFrom = await readFile(path.join(installed, 'src', file), 'utf8').catch(() => undefined);
      if (copiedFrom === text) continue;
      // The modules name their maps; the self-contained files have theirs beside them, unnamed (see vite.config.ts).
      const selfContained = path.basename(file).startsWith('sendauth-elements.');
      const mapName = selfContained ? `${path.basename(file)}.map` : text.match(/\/\/# sourceMappingURL=(\S+)\s*$/)?.[1];
      assert.ok(mapName, `${file} names no source map`);
      const mapFile = path.join(dist, path.dirname(file), mapName);
      const map = JSON.parse(await readFile(mapFile, 'utf8')) as { sources: string[]; sourcesContent?: string[]; mappings: string };
      // A module that is types only compiles to `export {};`: nothing to map.
      const code = text.replace(/^#!.*$|^\/\/# sourceMappingURL=.*$|^export \{\};$/gm, '').trim();
      assert.ok(map.mappings.length > 0 || code === '', `${file}'s map maps nothing`);
      // Each source is in the package (src/ ships for this), or carried in the map.
      for (const [i, source] of map.sources.entries()) {
        if (map.sourcesContent?.[i]) continue;
        await access(path.join(path.dirname(mapFile), source)).catch(() => assert.fail(`${file}'s map names ${source}, which is not in the package`));
      }
    }
  });
});

describe('a Vite app with a Lit element of its own', () => {
  let without: ShippedSize;
  let withElements: ShippedSize;

  before(async () => {
    without = await buildApp(path.join(project, 'apps', 'without'));
    withElements = await buildApp(path.join(project, 'apps', 'with'));
  });

  test('ships Lit once, and grows by no more than our own code', async () => {
    // Our code as that app gets it: everything `import '@sendauth/elements'` brings that the app did not ship already
    // (our modules, @simplewebauthn/browser, the Lit decorators the elements use).
    const ours = await buildAddition(path.join(project, 'apps', 'own-code'), 'entry.js', without.modules);
    const count = (code: string, marker: string): number => code.split(marker).length - 1;
    for (const marker of ['litHtmlVersions', 'reactiveElementVersions', 'litElementVersions']) {
      assert.equal(count(without.code, marker), 1, `the app alone has one ${marker}`);
      assert.equal(count(withElements.code, marker), 1, `the app with the elements ships Lit ${count(withElements.code, marker)} times (${marker})`);
      assert.equal(count(ours.code, marker), 0, `the package brings a Lit of its own (${marker})`);
    }
    assert.ok(withElements.code.includes('sendauth-login') && withElements.code.includes('sendauth-register'));

    const grown = { raw: withElements.raw - without.raw, gzip: withElements.gzip - without.gzip };
    console.log(
      `Vite app with its own Lit element: ${kB(without.raw)} (${kB(without.gzip)} gzip); ` +
        `with @sendauth/elements ${kB(withElements.raw)} (${kB(withElements.gzip)} gzip), ` +
        `+${kB(grown.raw)} (+${kB(grown.gzip)} gzip); our own code ${kB(ours.raw)} (${kB(ours.gzip)} gzip)`,
    );
    // 1% for the minifier naming things differently in an app and in a library build.
    assert.ok(grown.raw <= ours.raw * 1.01, `the app grew by ${grown.raw} bytes, our code is ${ours.raw}`);
    assert.ok(grown.gzip <= ours.gzip * 1.01, `the app grew by ${grown.gzip} bytes gzip, our code is ${ours.gzip}`);
  });

  test('the built app runs: its own element renders, and a visitor signs up and signs in with a passkey', { timeout: 180_000 }, async () => {
    const site = await serveApp(project, path.join(project, 'apps', 'with', 'dist'));
    const chromium = await launchBrowser();
    try {
      const page = await newPageWithAuthenticator(chromium.browser);
      const problems = recordPageProblems(page);
      await page.goto(site.url, { waitUntil: 'load' });
      await waitForElements(page, ['sendauth-register', 'sendauth-login']);
      await page.waitForFunction(() => document.querySelector('app-greeting')?.shadowRoot?.textContent?.includes('Hello, consumer!'));

      const email = `consumer-${crypto.randomUUID()}@example.com`;
      await page.type('sendauth-register >>> #firstName', 'Ada');
      await page.type('sendauth-register >>> #lastName', 'Lovelace');
      await page.type('sendauth-register >>> #email', email);
      await listenForOutcome(page, 'sendauth-register');
      await page.click('sendauth-register >>> button[part~="button"]');
      const registration = await outcome(page);
      assert.equal(registration.kind, 'registration');

      await page.type('sendauth-login >>> #username', email);
      await listenForOutcome(page, 'sendauth-login');
      await page.click('sendauth-login >>> button[part~="button"]');
      const authentication = await outcome(page);
      assert.equal(authentication.kind, 'authentication');
      assert.equal(authentication.userId, registration.userId, 'signed in as the user who signed up');
      assert.deepEqual(problems, []);
    } finally {
      await chromium.close();
      await site.close();
    }
  });
});

type Outcome = { kind: string; userId: string };

/** Starts listening on `tag` for its next `sendauth-success` (or `sendauth-error`), before the click that leads to it. */
async function listenForOutcome(page: Page, tag: string): Promise<void> {
  await page.evaluate((selector: string) => {
    const element = document.querySelector(selector)!;
    (window as unknown as { outcome: Promise<Outcome> }).outcome = new Promise<Outcome>((resolve, reject) => {
      element.addEventListener('sendauth-success', (event) => resolve((event as CustomEvent<Outcome>).detail), { once: true });
      element.addEventListener('sendauth-error', (event) => reject(new Error(JSON.stringify((event as CustomEvent).detail))), { once: true });
    });
  }, tag);
}

/** The `detail` of the event `listenForOutcome` waited for; an error event rejects with its code and message. */
function outcome(page: Page): Promise<Outcome> {
  return page.evaluate(() => (window as unknown as { outcome: Promise<Outcome> }).outcome);
}

describe('Node without a browser (server-side rendering)', () => {
  test('importing the package neither throws nor makes a DOM; the server entries load beside it', async () => {
    const script = `
      const elements = await import('@sendauth/elements');
      const server = await import('@sendauth/elements/server');
      const { de } = await import('@sendauth/elements/locales/de');
      const { zhHans } = await import('@sendauth/elements/locales/zh-hans');
      await import('@sendauth/elements/react'); await import('@sendauth/elements/vue'); await import('@sendauth/elements/svelte');
      console.log(JSON.stringify({
        classes: [typeof elements.SendAuthLogin, typeof elements.SendAuthRegister, typeof elements.registerLanguage, typeof server.createSendAuthProxy],
        german: de.signInButton,
        chinese: zhHans.signInButton,
        dom: [typeof window, typeof document],
      }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], project);
    assert.deepEqual(JSON.parse(stdout), { classes: ['function', 'function', 'function', 'function'], german: 'Mit Passkey anmelden', chinese: '使用通行密钥登录', dom: ['undefined', 'undefined'] });
  });
});

describeServerEntries(() => ({ project, installed }));

describe('the types', () => {
  for (const resolution of ['node10', 'node16', 'bundler']) {
    test(`tsc finds them under moduleResolution ${resolution}`, async () => {
      await assertTypeChecks(`types/tsconfig.${resolution}.json`);
    });
  }

  test('React 19: a .tsx using every element, attribute and event type-checks, and each wrong use is an error', async () => {
    await assertCoversEveryElement('react/SignIn.tsx');
    await assertTypeChecks('react/tsconfig.json');
    await assertExpectedErrors('react/SignIn.tsx', /\{\/\* @ts-expect-error /g, 10);
  });

  test('Vue 3: a .vue template using every element, attribute and event passes vue-tsc, and each wrong use is an error', async () => {
    await assertCoversEveryElement('vue/App.vue');
    await runTool('vue-tsc', 'bin/vue-tsc.js', ['-p', 'vue/tsconfig.json'], project);
    await assertExpectedErrors('vue/App.vue', /<!-- @vue-expect-error /g, 9);
  });

  test('Svelte 5: .svelte files using every element, attribute and event pass svelte-check, and each wrong use is an error', async () => {
    await assertCoversEveryElement('svelte/App.svelte');
    const folder = path.join(project, 'svelte');
    const args = ['--workspace', folder, '--tsconfig', path.join(folder, 'tsconfig.json'), '--output', 'machine'];
    // svelte-check exits 1 on errors; the wrong file has them on purpose.
    const { stdout } = await runTool('svelte-check', 'bin/svelte-check', args, project, { allowFailure: true });
    const errors = [...stdout.matchAll(/^\d+ ERROR "([^"]+)" (\d+):\d+ "(.*)"$/gm)].map(([, file, line, message]) => ({ file, line: Number(line), message }));
    assert.match(stdout, /COMPLETED \d+ FILES/, stdout);
    assert.deepEqual(errors.filter((error) => error.file !== 'Wrong.svelte'), [], 'App.svelte and Legacy.svelte have errors');

    // Wrong.svelte: an error on each line after an `expect-error` comment, and nowhere else.
    const lines = (await readFile(path.join(folder, 'Wrong.svelte'), 'utf8')).split('\n');
    const expected = lines.flatMap((line, i) => (line.includes('<!-- expect-error') ? [i + 2] : []));
    assert.equal(expected.length, 7);
    assert.deepEqual([...new Set(errors.map((error) => error.line))].sort((a, b) => a - b), expected, stdout);
  });
});

/** The consumer's TypeScript projects checked with plain `tsc`: the three module resolutions and React. */
const TSC_PROJECTS = ['types/tsconfig.node10.json', 'types/tsconfig.node16.json', 'types/tsconfig.bundler.json', 'react/tsconfig.json'];
let tscBuild: Promise<{ code: number; output: string; sections: Map<string, string> }> | undefined;

/**
 * `project` (one of TSC_PROJECTS) type-checks without an error. The four are checked by one
 * `tsc --build` the first time one is asked for, which parses the shared libraries once (about 6 s
 * of CPU less than four runs); `--verbose` heads each project's diagnostics with its name.
 */
async function assertTypeChecks(tsconfig: string): Promise<void> {
  tscBuild ??= runTool('typescript', 'bin/tsc', ['--build', '--verbose', ...TSC_PROJECTS], project, { allowFailure: true }).then(({ code, stdout, stderr }) => {
    const output = `${stdout}${stderr}`;
    const sections = new Map<string, string>();
    const parts = output.split(/^.*Building project '([^']+)'\.\.\.$/m);
    for (let i = 1; i < parts.length; i += 2) sections.set(path.relative(project, parts[i]!), parts[i + 1]!);
    return { code, output, sections };
  });
  const { code, output, sections } = await tscBuild;
  const section = sections.get(tsconfig);
  assert.ok(section !== undefined, `tsc --build did not check ${tsconfig}:\n${output}`);
  assert.doesNotMatch(section, /error TS\d+/, `${tsconfig}:\n${section}`);
  // A failed build is explained by some project's errors (a bad option or a crash fails every test).
  assert.ok(code === 0 || [...sections.values()].some((text) => /error TS\d+/.test(text)), output);
}

/**
 * The fixture names every element of the package's manifest (custom-elements.json, as
 * installed) and each one's attributes and events: a new one shows here until it is used.
 */
async function assertCoversEveryElement(file: string): Promise<void> {
  const text = await readFile(path.join(project, file), 'utf8');
  const manifest = JSON.parse(await readFile(path.join(installed, 'custom-elements.json'), 'utf8')) as {
    modules: Array<{ declarations?: Array<{ tagName?: string; attributes?: Array<{ name: string }>; events?: Array<{ name: string }> }> }>;
  };
  const elements = manifest.modules.flatMap((module) => module.declarations ?? []).filter((declaration) => declaration.tagName);
  assert.ok(elements.length >= 2);
  for (const { tagName, attributes = [], events = [] } of elements) {
    const missing = [tagName!, ...attributes.map((a) => a.name), ...events.map((e) => e.name)].filter((name) => !text.includes(name));
    assert.deepEqual(missing, [], `${file} does not use these of <${tagName}>`);
  }
}

/** The fixture marks as many wrong uses as it should (so none was dropped without notice). */
async function assertExpectedErrors(file: string, marker: RegExp, count: number): Promise<void> {
  const text = await readFile(path.join(project, file), 'utf8');
  assert.equal(text.match(marker)?.length, count, `${file} has ${count} wrong uses`);
}
