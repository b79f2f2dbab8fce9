/**
 * axe-core in the test page. Its package is a classic script (UMD, no ES
 * exports), so it is loaded for its side effect, which sets `window.axe`.
 */
import 'axe-core';
import type { AxeResults, Result } from 'axe-core';

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}

/** axe's violations for `el` (its shadow DOM included), formatted to read in a failed assertion. */
export async function axeViolations(el: Element): Promise<string[]> {
  const results: AxeResults = await window.axe.run(el);
  return results.violations.map(
    (violation: Result) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  );
}
