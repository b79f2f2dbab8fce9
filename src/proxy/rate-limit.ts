/**
 * Rate limiting of ceremony starts. SendAuth notifies the user for every
 * transaction, so an unthrottled `authenticate` would let anyone spam a
 * victim's devices: starts are counted per client IP and per user, in fixed
 * windows kept in the proxy's `store` (`store.ts`), so the limits hold
 * across every instance that shares it.
 */
import type { ProxyStore, StoreHit } from './store.js';

/** @deprecated The shape of `StoreHit`; kept for one release. */
export type RateLimitHit = StoreHit;

/**
 * @deprecated Pass `store` (a `ProxyStore`, whose `hit` this is) instead of `rateLimit.store`; kept
 * for one release. Counts one hit for `key` in the window that contains `now`.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number, now: number): StoreHit | Promise<StoreHit>;
}

export interface RateLimitOptions {
  /** Starts allowed per window, per client IP and per user. @default 5 */
  limit?: number;
  /** Window length in ms. @default 60_000 */
  windowMs?: number;
  /** @deprecated Use the proxy's `store` option. */
  store?: RateLimitStore;
}

/** @deprecated In-memory counters for `rateLimit.store`; use the proxy's `store` (`MemoryStore` by default). */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, StoreHit>();
  #nextSweep = 0;

  hit(key: string, windowMs: number, now: number): StoreHit {
    if (now >= this.#nextSweep) {
      for (const [old, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(old);
      this.#nextSweep = now + windowMs;
    }
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { ...window };
  }
}

export interface RateLimiter {
  /** Counts a start against every key; resolves to the seconds to wait when any key is over the limit. */
  check(keys: readonly string[]): Promise<number | undefined>;
}

export function createRateLimiter(options: RateLimitOptions | false | undefined, store: ProxyStore, now: () => number): RateLimiter {
  if (options === false) return { check: async () => undefined };
  const limit = options?.limit ?? 5;
  const windowMs = options?.windowMs ?? 60_000;
  const legacy = options?.store;
  const hit = (key: string): Promise<StoreHit> =>
    legacy ? Promise.resolve(legacy.hit(key, windowMs, now())) : store.hit(`rate:${key}`, windowMs);
  return {
    async check(keys) {
      const at = now();
      let retryAfterMs: number | undefined;
      for (const key of keys) {
        const { count, resetAt } = await hit(key);
        if (count > limit) retryAfterMs = Math.max(retryAfterMs ?? 0, resetAt - at);
      }
      return retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000));
    },
  };
}
