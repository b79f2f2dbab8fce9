import type { Paginated } from '../types.js';

/** One page (1-based) of `rows`, with the total before paging. */
export function paginate<T>(rows: readonly T[], page: number, perPage: number): Paginated<T> {
  const start = (page - 1) * perPage;
  return { rows: rows.slice(start, start + perPage), total: rows.length };
}
