/**
 * `npm run manifest`: writes custom-elements.json (the Custom Elements
 * Manifest that IDEs, Storybook and documentation tools read) from the
 * elements' classes and JSDoc (`@summary @attr @event @slot @csspart
 * @cssproperty`), with the analyzer's Lit support.
 */

/**
 * The elements register themselves through the base class's `static define()`
 * with their `static readonly defaultTag = 'sendauth-…'`, rather than
 * `customElements.define('…', Class)`, which is what the analyzer looks for;
 * this reads the tag from that static property, so the tag names
 * in the manifest come from the code. It also stops calling the abstract base
 * class a custom element: it has no tag and cannot be registered.
 */
function tagsFromDefaultTag() {
  /** `module path#class name` of abstract classes. */
  const abstractClasses = new Set();
  return {
    name: 'sendauth-tags-from-default-tag',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const declaration = moduleDoc.declarations?.find((d) => d.kind === 'class' && d.name === node.name?.text);
      if (!declaration) return;
      if (node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AbstractKeyword)) {
        abstractClasses.add(`${moduleDoc.path}#${declaration.name}`);
        return;
      }
      for (const member of node.members) {
        const isDefaultTag =
          ts.isPropertyDeclaration(member) &&
          member.name.getText() === 'defaultTag' &&
          member.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
        const initializer = isDefaultTag ? member.initializer : undefined;
        if (!initializer || !ts.isStringLiteral(initializer)) continue;
        declaration.customElement = true;
        declaration.tagName = initializer.text;
        moduleDoc.exports = moduleDoc.exports ?? [];
        moduleDoc.exports.push({
          kind: 'custom-element-definition',
          name: initializer.text,
          declaration: { name: declaration.name, module: moduleDoc.path },
        });
      }
    },
    // After the analyzer's own inheritance handling, which marks every LitElement subclass.
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (abstractClasses.has(`${module.path}#${declaration.name}`)) delete declaration.customElement;
        }
      }
    },
  };
}

/**
 * Internal state (`static properties` entries with `state: true`, on private fields) is no
 * attribute: the analyzer lists every `static properties` entry as one, so those are taken out.
 */
function noAttributesForState() {
  return {
    name: 'sendauth-no-attributes-for-state',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          const internal = new Set((declaration.members ?? []).filter((m) => m.privacy === 'private').map((m) => m.name));
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !internal.has(a.fieldName));
        }
      }
    },
  };
}

/**
 * The modules in one order, whatever order the file system lists them in: the analyzer's glob
 * reads folders concurrently, so under load `login/` could come before `approve/`, and the
 * committed file would look stale to its test. Top-level files first, then each folder's, by path.
 */
function modulesInPathOrder() {
  const depth = (modulePath) => modulePath.split('/').length;
  return {
    name: 'sendauth-modules-in-path-order',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules.sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

export default {
  globs: ['src/elements/**/*.ts'],
  // Stylesheets and translations are no API; left out, the manifest changes only when the API does.
  exclude: ['src/elements/**/*.styles.ts', 'src/elements/base-styles.ts', 'src/elements/locales/**'],
  outdir: '.',
  litelement: true,
  // package.json's `customElements` field is set by hand; the analyzer would rewrite the whole file.
  packagejson: false,
  plugins: [tagsFromDefaultTag(), noAttributesForState(), modulesInPathOrder()],
};
