/**
 * A Vite plugin for the self-contained browser files: the error registry as
 * the browser needs it, each code's `status` and `retryable`. The rest of an
 * entry (`summary`, the SendAuth `answers` and `states` that mean it,
 * `upstreamStatus`) is about SendAuth's answers, which only the proxy reads;
 * left out, the drop-in file saves ~0.26 KB gzip. Made at build time from
 * `src/error-codes.ts` itself, so the registry is still written once, and the
 * module keeps every export of the real one (a browser test compares them).
 * Bundlers that take the unbundled modules get the whole registry.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { ERROR_CODES, ERROR_REGISTRY } from '../src/error-codes.js';

export function browserErrorRegistry(): Plugin {
  const registryFile = fileURLToPath(new URL('../src/error-codes.ts', import.meta.url));
  // Compact: the codes in one string, their statuses, `retryable` as 0/1 digits.
  const statuses = ERROR_CODES.map((code) => ERROR_REGISTRY[code].status);
  const retryable = ERROR_CODES.map((code) => (ERROR_REGISTRY[code].retryable ? 1 : 0)).join('');
  return {
    name: 'sendauth-browser-error-registry',
    load(id) {
      if (id.split('?')[0] !== registryFile) return null;
      return [
        `export const ERROR_CODES = ${JSON.stringify(ERROR_CODES.join(' '))}.split(' ');`,
        `const statuses = ${JSON.stringify(statuses)};`,
        'export const ERROR_REGISTRY = Object.fromEntries(',
        `  ERROR_CODES.map((code, i) => [code, { status: statuses[i], retryable: ${JSON.stringify(retryable)}[i] === '1' }]),`,
        ');',
        'export const isErrorCode = (value) => typeof value === "string" && Object.hasOwn(ERROR_REGISTRY, value);',
        'export const errorFacts = (code) => ERROR_REGISTRY[code];',
        'export const isRetryable = (code) => ERROR_REGISTRY[code].retryable;',
        'export const RETRYABLE = Object.fromEntries(ERROR_CODES.map((code) => [code, isRetryable(code)]));',
      ].join('\n');
    },
  };
}
