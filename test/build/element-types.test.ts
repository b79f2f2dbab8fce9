/**
 * The framework typings (`@sendauth/elements/react`, `/vue`, `/svelte`) are
 * made from one description, `SendAuthElementTypes` in
 * `src/elements/element-types.ts`. It must say what the elements are: every
 * tag of the manifest, with exactly the attributes each class observes and
 * the events it documents. An element, attribute or event added without it
 * fails here, before a framework user meets the gap.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const DESCRIPTION = path.join(repoRoot, 'src/elements/element-types.ts');

interface Described {
  attributes: string[];
  events: string[];
}

/** Reads `SendAuthElementTypes` with the compiler: tag → its attributes' and events' names. */
function readDescription(): Map<string, Described> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(repoRoot, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  assert.ok(config, 'tsconfig.json');
  const program = ts.createProgram([DESCRIPTION], { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(DESCRIPTION)!)!;
  const described = checker.getExportsOfModule(moduleSymbol).find((symbol) => symbol.name === 'SendAuthElementTypes');
  assert.ok(described, 'element-types.ts exports SendAuthElementTypes');
  const names = (owner: ts.Type, member: string): string[] =>
    checker
      .getTypeOfSymbol(owner.getProperty(member)!)
      .getProperties()
      .map((property) => property.name)
      .sort();
  return new Map(
    checker
      .getDeclaredTypeOfSymbol(described)
      .getProperties()
      .map((tag) => {
        const entry = checker.getTypeOfSymbol(tag);
        return [tag.name, { attributes: names(entry, 'attributes'), events: names(entry, 'events') }];
      }),
  );
}

let description: Map<string, Described>;
let manifest: Map<string, Described>;

before(async () => {
  description = readDescription();
  const json = JSON.parse(await readFile(path.join(repoRoot, 'custom-elements.json'), 'utf8')) as {
    modules: Array<{ declarations?: Array<{ tagName?: string; attributes?: Array<{ name: string }>; events?: Array<{ name: string }> }> }>;
  };
  manifest = new Map(
    json.modules
      .flatMap((module) => module.declarations ?? [])
      .flatMap((declaration) =>
        declaration.tagName
          ? [
              [
                declaration.tagName,
                {
                  attributes: (declaration.attributes ?? []).map((attribute) => attribute.name).sort(),
                  events: (declaration.events ?? []).map((event) => event.name).sort(),
                },
              ] as const,
            ]
          : [],
      ),
  );
});

test('the typings describe every element of the manifest, and nothing else', () => {
  assert.deepEqual([...description.keys()].sort(), [...manifest.keys()].sort());
});

test("each element's typed attributes are exactly the attributes its class observes", async () => {
  // In Node, Lit's server build gives the package a registry to define into (see test/ssr).
  await import('../../src/index.js');
  for (const [tag, { attributes }] of description) {
    const element = customElements.get(tag) as (CustomElementConstructor & { observedAttributes: string[] }) | undefined;
    assert.ok(element, `<${tag}> is defined by the main entry`);
    assert.deepEqual(attributes, [...element.observedAttributes].sort(), `<${tag}>`);
    assert.deepEqual(attributes, manifest.get(tag)?.attributes, `<${tag}> in custom-elements.json`);
  }
});

test("each element's typed events are the events it documents", () => {
  for (const [tag, { events }] of description) assert.deepEqual(events, manifest.get(tag)?.events, `<${tag}>`);
});
