import type { SendAuthClient } from '../api/client.js';

/** Pages of 100 read at most: a name that 2,000 others contain is resolved, a pathological one gives up. */
const MAX_PAGES = 20;

/**
 * The default `resolveUser`: an exact, case-insensitive match on email or
 * username. SendAuth's `q` is a substring search, so every page of its
 * answer is read until the exact match turns up.
 */
export function defaultResolveUser(sendauth: SendAuthClient): (username: string) => Promise<string | undefined> {
  return async (username) => {
    const needle = username.toLowerCase();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { rows, total } = await sendauth.listUsers({ q: username, page, perPage: 100 });
      const match = rows.find((u) => u.email?.toLowerCase() === needle || u.username?.toLowerCase() === needle);
      if (match?.id) return match.id;
      if (rows.length < 100 || page * 100 >= total) return undefined;
    }
    return undefined;
  };
}
