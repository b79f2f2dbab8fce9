/**
 * The README's reference tables, read the way the README tests compare them
 * with the code, so a check can also run against a changed copy of the
 * README (the error-registry test does).
 */
import { errorFacts, type ErrorCode } from '../../src/error-codes.js';

/** The table rows of one README section as cells, keyed by the first cell without its backticks. */
export function tableRows(readme: string, heading: string): Map<string, string[]> {
  const start = readme.indexOf(`${heading}\n`);
  if (start === -1) throw new Error(`README has no "${heading}"`);
  const end = readme.indexOf('\n## ', start);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim());
    const key = cells[0]?.replace(/^`|`$/g, '');
    if (key && !rows.has(key)) rows.set(key, cells);
  }
  return rows;
}

/** What the facts say each code's README row must hold. */
export interface ErrorRowFacts {
  codes: readonly string[];
  message: (code: string) => string;
  retryable: (code: string) => boolean;
  /** The proxy's status; 0 for a browser-only code. */
  status: (code: string) => number;
}

/** The registry and English strings of this checkout. */
export function currentErrorFacts(english: Record<ErrorCode, string>, codes: readonly ErrorCode[]): ErrorRowFacts {
  return {
    codes,
    message: (code) => english[code as ErrorCode],
    retryable: (code) => errorFacts(code as ErrorCode).retryable,
    status: (code) => errorFacts(code as ErrorCode).status,
  };
}

/** Every way the README's "Error codes" table disagrees with `facts`; empty when it agrees. */
export function errorTableProblems(readme: string, facts: ErrorRowFacts): string[] {
  const rows = tableRows(readme, '### Error codes');
  const problems: string[] = [];
  for (const code of facts.codes) {
    const row = rows.get(code);
    if (!row) {
      problems.push(`README has no row for error code ${code}`);
      continue;
    }
    const [, status, retryable, message] = row;
    if (message !== facts.message(code)) problems.push(`${code}: message ${JSON.stringify(message)}`);
    if (retryable !== (facts.retryable(code) ? 'yes' : 'no')) problems.push(`${code}: retryable ${retryable}`);
    const expected = facts.status(code);
    if ((expected === 0 ? 'browser' : String(expected)) !== status) problems.push(`${code}: status ${status}, registry ${expected || 'browser'}`);
  }
  return problems;
}
