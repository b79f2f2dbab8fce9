/**
 * Makes a failed assertion on a DOM node (or a function, or the window)
 * reach the report instead of hanging its file.
 *
 * The page sends each file's results through `stable()` in the dev server's
 * `/__web-dev-server__web-socket.js`, which `structuredClone`s the whole
 * message first (@web/dev-server-core 0.7.5). A failed `expect(element).to…`
 * puts the element in the error's `actual`; the clone throws a
 * `DataCloneError` in the page, the results are never sent, and the run
 * shows only "Browser tests did not finish within 120000ms" for that file,
 * two minutes later, without the test or its message
 * (https://github.com/modernweb-dev/web/issues/2967; the fix is in the 1.x
 * line, which needs Node 22). This plugin serves that module with a clone
 * that falls back, value by value, to a description of what cannot be
 * cloned: `<sendauth-login lang="de">` for an element, `[Function: name]`,
 * `[object Window]`.
 *
 * Node only.
 */
import type { TestRunnerPlugin } from '@web/test-runner';

/** The module the dev server serves, and the one line of it this plugin replaces. */
const WEB_SOCKET_MODULE = '/__web-dev-server__web-socket.js';
const CLONE_CALL = 'var target = structuredClone(obj)';

/**
 * Browser code: a structured clone of `value` in which every value that cannot be cloned is replaced
 * by a short description (a node as its start tag, up to 200 characters). Cycles through replaced
 * objects read `[Circular]`.
 */
const CLONE_FOR_REPORT = `
function cloneForReport(value, seen = new WeakSet()) {
  try {
    return structuredClone(value);
  } catch {}
  if (typeof value === 'function') return '[Function' + (value.name ? ': ' + value.name : '') + ']';
  if (typeof value !== 'object' || value === null) return String(value);
  if (value === value.window) return '[object Window]';
  if (typeof Node === 'function' && value instanceof Node) {
    const text = value instanceof Element ? value.outerHTML.slice(0, value.outerHTML.indexOf('>') + 1) : '[' + value.nodeName + ']';
    return text.length > 200 ? text.slice(0, 199) + '…' : text;
  }
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => cloneForReport(item, seen));
  const copy = {};
  let keys;
  try {
    keys = Object.keys(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
  if (keys.length === 0) return Object.prototype.toString.call(value);
  for (const key of keys) copy[key] = cloneForReport(value[key], seen);
  return copy;
}
`;

export function reportValuesPlugin(): TestRunnerPlugin {
  return {
    name: 'sendauth-report-values',
    transform(context) {
      if (context.path !== WEB_SOCKET_MODULE || typeof context.body !== 'string') return;
      if (!context.body.includes(CLONE_CALL)) {
        // A dev server that no longer clones needs nothing; one that clones another way must be looked at.
        if (context.body.includes('structuredClone(')) {
          throw new Error(`${WEB_SOCKET_MODULE} clones the test results in a way report-values-plugin.ts does not know: update the plugin`);
        }
        return;
      }
      return { body: `${CLONE_FOR_REPORT}\n${context.body.replace(CLONE_CALL, 'var target = cloneForReport(obj)')}` };
    },
  };
}
