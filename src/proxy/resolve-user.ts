import type { SendAuthClient } from '../api/client.js';
import { sameUsername } from '../field-rules.js';

/** Pages of 100 read at most: a name that 2,000 others contain is resolved, a pathological one gives up. */
const MAX_PAGES = 20;

/**
 * The default `resolveUser`: an exact, case-insensitive match on email or
 * username, both in their one form (`field-rules.ts`: an account stored with
 * `Ada@Bücher.example` is found by `ada@xn--bcher-kva.example` and the other way
 * round). SendAuth's `q` is a substring search, so every page of its answer is
 * read until the exact match turns up.
 */
export function defaultResolveUser(sendauth: SendAuthClient): (username: string) => Promise<string | undefined> {
  return async (username) => {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { rows, total } = await sendauth.listUsers({ q: username, page, perPage: 100 });
      const match = rows.find(
        (u) => (u.email !== undefined && sameUsername(u.email, username)) || (u.username !== undefined && sameUsername(u.username, username)),
      );
      if (match?.id) return match.id;
      if (rows.length < 100 || page * 100 >= total) return undefined;
    }
    return undefined;
  };
}
