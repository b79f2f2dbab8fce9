/**
 * Where the proxy keeps what it must remember between requests (DESIGN.md,
 * "State the proxy keeps"): TX bindings, rate-limit counters, once-only
 * markers. One small key-value contract, so one shared server (Redis:
 * `createRedisStore`) serves several proxy instances and serverless hosts;
 * the default keeps it in this process's memory.
 *
 * Every key has a TTL, so nothing outlives the TX it is about. Values are
 * strings (the proxy stores JSON). A store that fails throws; the proxy then
 * answers 503 `upstream` and reports it (fail closed: a failing store never
 * lets a request through that it would have refused).
 */

/** A fixed window's count for a key. */
export interface StoreHit {
  /** Hits in the window so far, this one included. */
  count: number;
  /** When the window ends, in ms since the epoch. */
  resetAt: number;
}

export interface ProxyStore {
  /** The value at `key`; `undefined` when there is none or it expired. */
  get(key: string): Promise<string | undefined>;
  /** Sets `key` to `value` for `ttlMs` milliseconds (≥ 1). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Sets `key` to `value` for `ttlMs` only if it holds nothing; true when this call set it. Atomic
   * across every instance sharing the store (Redis `SET NX PX`): the once-only guard.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Removes `key` (nothing happens when it is absent). */
  delete(key: string): Promise<void>;
  /**
   * Counts one hit on `key` in a fixed window of `windowMs` that starts with the window's first
   * hit; atomic across every instance sharing the store. The window's key expires with it.
   */
  hit(key: string, windowMs: number): Promise<StoreHit>;
  /**
   * Optional, for one round trip where a check decides a once-only step: reads the JSON record at
   * `claim.recordKey` and, only when it holds every field of `claim.where`, takes `claim.marker`
   * (as `setIfAbsent`) and, when that took it, counts one hit on `claim.counter` (as `hit`). All
   * one atomic step across every instance sharing the store (Redis: one Lua script). A store
   * without it still serves the proxy, which then reads, checks and claims in three calls.
   */
  claimIf?(claim: StoreClaim): Promise<StoreClaimResult>;
}

/** What `ProxyStore.claimIf` checks, takes and counts. */
export interface StoreClaim {
  /** The key of a JSON object (e.g. a TX binding). */
  recordKey: string;
  /** Fields the record must hold: each the exact string given, or absent where `null` is given. */
  where: Record<string, string | null>;
  /**
   * The once-only marker, taken when the record matches and the key holds nothing, for `ttlMs`
   * (≥ 1), by default as long as the record has left to live.
   */
  marker: { key: string; value: string; ttlMs?: number };
  /**
   * The fixed-window counter (as `hit`) counted when the marker was taken; a new window lasts
   * `windowMs`, by default as long as the record has left to live.
   */
  counter: { key: string; windowMs?: number };
}

export interface StoreClaimResult {
  /** The record as stored, read in the same step; `undefined` when there is none or it expired. */
  record: string | undefined;
  /** True when the record matched `where` and this call took the marker. */
  claimed: boolean;
  /** The counter's window after this call's hit; present only when `claimed`. */
  hit?: StoreHit;
}

/**
 * Whether the JSON `record` holds every field of `where` (an exact string, or absent for `null`):
 * `claimIf`'s check, as the memory store makes it (the Redis store makes it in Lua, alike).
 */
export function recordMatches(record: string, where: StoreClaim['where']): boolean {
  let fields: unknown;
  try {
    fields = JSON.parse(record);
  } catch {
    return false;
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return false;
  const held = fields as Record<string, unknown>;
  // Own fields only: `constructor`, `toString`, … are absent from `{}` as they are to Lua's cjson.
  const field = (name: string): unknown => (Object.hasOwn(held, name) ? held[name] : undefined);
  return Object.entries(where).every(([name, wanted]) => (wanted === null ? field(name) === undefined || field(name) === null : field(name) === wanted));
}

interface Entry {
  value: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/**
 * The default store: this process's memory. Enough for one long-lived process
 * (one Node server); not for several instances or serverless hosts, which
 * must share a store (`createRedisStore`). Expired entries are swept as new
 * ones arrive, so memory is bounded by what is live.
 *
 * @param now clock in ms since the epoch, for tests. @default Date.now
 */
export class MemoryStore implements ProxyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  #nextSweep = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#put(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#live(key)) return false;
    this.#put(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async claimIf({ recordKey, where, marker, counter }: StoreClaim): Promise<StoreClaimResult> {
    const entry = this.#live(recordKey);
    const record = entry?.value;
    if (!entry || record === undefined || !recordMatches(record, where) || this.#live(marker.key)) return { record, claimed: false };
    const recordTtlMs = entry.expiresAt - this.#now();
    this.#put(marker.key, marker.value, marker.ttlMs ?? recordTtlMs);
    return { record, claimed: true, hit: await this.hit(counter.key, counter.windowMs ?? recordTtlMs) };
  }

  async hit(key: string, windowMs: number): Promise<StoreHit> {
    const now = this.#now();
    const live = this.#live(key);
    const count = live ? Number(live.value) + 1 : 1;
    const resetAt = live ? live.expiresAt : now + windowMs;
    this.#put(key, String(count), resetAt - now);
    return { count, resetAt };
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #put(key: string, value: string, ttlMs: number): void {
    const now = this.#now();
    if (now >= this.#nextSweep) {
      for (const [old, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(old);
      this.#nextSweep = now + 60_000;
    }
    this.#entries.set(key, { value, expiresAt: now + Math.max(1, ttlMs) });
  }
}
