/**
 * Rate limiting of ceremony starts. SendAuth notifies the user for every
 * transaction, so an unthrottled `authenticate` would let anyone spam a
 * victim's devices: starts are counted per client IP and per user.
 */

/** One fixed window's count for a key. */
export interface RateLimitHit {
  count: number;
  /** When the window ends, in ms since the epoch. */
  resetAt: number;
}

/**
 * Where counts live. The default keeps them in this process's memory; a site
 * running several instances passes a shared store (Redis `INCR` + `PEXPIRE`
 * is the usual shape).
 */
export interface RateLimitStore {
  /** Counts one hit for `key` in the window that contains `now`, and returns the window's count so far. */
  hit(key: string, windowMs: number, now: number): RateLimitHit | Promise<RateLimitHit>;
}

export interface RateLimitOptions {
  /** Starts allowed per window, per client IP and per user. @default 5 */
  limit?: number;
  /** Window length in ms. @default 60_000 */
  windowMs?: number;
  /** @default an in-memory store */
  store?: RateLimitStore;
}

/** In-memory fixed windows; expired keys are swept as the map grows, so memory stays bounded by active keys. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #windows = new Map<string, RateLimitHit>();
  #nextSweep = 0;

  hit(key: string, windowMs: number, now: number): RateLimitHit {
    if (now >= this.#nextSweep) this.#sweep(now, windowMs);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { ...window };
  }

  #sweep(now: number, windowMs: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    this.#nextSweep = now + windowMs;
  }
}

export interface RateLimiter {
  /** Counts a start against every key; resolves to the seconds to wait when any key is over the limit. */
  check(keys: readonly string[]): Promise<number | undefined>;
}

export function createRateLimiter(options: RateLimitOptions | false | undefined, now: () => number): RateLimiter {
  if (options === false) return { check: async () => undefined };
  const limit = options?.limit ?? 5;
  const windowMs = options?.windowMs ?? 60_000;
  const store = options?.store ?? new MemoryRateLimitStore();
  return {
    async check(keys) {
      const at = now();
      let retryAfterMs: number | undefined;
      for (const key of keys) {
        const { count, resetAt } = await store.hit(key, windowMs, at);
        if (count > limit) retryAfterMs = Math.max(retryAfterMs ?? 0, resetAt - at);
      }
      return retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000));
    },
  };
}
