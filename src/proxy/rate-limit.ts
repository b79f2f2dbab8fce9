/**
 * Rate limiting of ceremony starts. SendAuth notifies the user for every
 * transaction, so an unthrottled `authenticate` would let anyone spam a
 * victim's devices: starts are counted per client IP and per user, in fixed
 * windows kept in the proxy's `store` (`store.ts`), so the limits hold
 * across every instance that shares it.
 */
import ipaddr from 'ipaddr.js';
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

/**
 * Limits on ceremony starts. Each start makes SendAuth notify a user, so the
 * limit per user (and per sign-up email) is strict and over a long window;
 * many visitors can share one address (a household, an office, a mobile
 * carrier), so the limit per client IP is roomier and short. The defaults let
 * a visitor sign up, sign in, add a passkey, mistype, retry a closed prompt a
 * few times and sign in again without ever meeting one, while one user gets
 * at most `limit` notifications per `windowMs` however many addresses send them.
 */
export interface RateLimitOptions {
  /** Starts per user (a sign-up: per email) in each `windowMs`. @default 10 */
  limit?: number;
  /** The per-user window in ms. @default 600_000 (10 minutes) */
  windowMs?: number;
  /** Starts per client IP in each `ipWindowMs`. @default 30 */
  ipLimit?: number;
  /** The per-IP window in ms. @default 60_000 (1 minute) */
  ipWindowMs?: number;
  /**
   * IPv6 clients are counted per network of this prefix length (0–128 bits): one host is
   * handed a whole /64 and could otherwise rotate through it. IPv4 clients are counted per
   * address. @default 64
   */
  ipv6Prefix?: number;
  /** @deprecated Use the proxy's `store` option. */
  store?: RateLimitStore;
}

/** The defaults of `RateLimitOptions`, in one place. */
export const RATE_LIMIT_DEFAULTS = { limit: 10, windowMs: 600_000, ipLimit: 30, ipWindowMs: 60_000 } as const;

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
  /**
   * Counts a start against every key (`ip:…` keys by the per-IP limit, every other by the per-user
   * one); resolves to the seconds to wait when any key is over its limit.
   */
  check(keys: readonly string[]): Promise<number | undefined>;
  /** The rate-limit key of a client IP (`clientIpKey` with this limiter's `ipv6Prefix`). */
  ipKey(ip: string): string;
}

/**
 * The mailbox an email address (in its one form, `normalizeEmail`) delivers to, for counting
 * sign-ups per mailbox: the subaddress (`+tag`, RFC 5233) is dropped, since `ada+1@example.com`,
 * `ada+2@example.com`, … all reach `ada@example.com`, and each sign-up notifies that one mailbox.
 *
 * @example mailboxKey('ada+shop@example.com') // 'ada@example.com'
 */
export function mailboxKey(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${email.slice(at)}`.toLowerCase();
}

/**
 * The per-user rate-limit key (starts, and approval starts) of a SendAuth user id, or of what was
 * typed when no account has that name: one key per user however the id is spelled, since the
 * browser's `userId` is read in lower case while a site's `resolveUser` or session may answer the
 * same UUID in upper case (SQL Server's `uniqueidentifier`), and SendAuth takes either.
 *
 * @example userLimitKey('0C5D9EF9-3394-4E75-901C-E5BB94EECCB5') // 'user:0c5d9ef9-3394-4e75-901c-e5bb94eeccb5'
 */
export function userLimitKey(user: string): string {
  return `user:${user.toLowerCase()}`;
}

/** `[v6]:port`, `[v6]`, `v4:port`: the address inside. */
const BRACKETED = /^\[([^\]]+)\](?::\d+)?$/;
const V4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/;

/**
 * One key per client however its address is spelled: IPv4-mapped IPv6
 * (`::ffff:1.2.3.4`) is the IPv4 address; IPv6 is grouped by its first
 * `ipv6Prefix` bits (`2001:db8:1:2::/64`), zone id, case, zero compression and
 * brackets aside; IPv4 is the address in dotted decimal. A value that is no IP
 * address (a header a site passed on) is its trimmed lower-case text.
 *
 * @example clientIpKey('::FFFF:1.2.3.4') // '1.2.3.4'
 * @example clientIpKey('2001:db8:0:0:abcd::1%eth0') // '2001:db8::/64'
 */
export function clientIpKey(ip: string, ipv6Prefix = 64): string {
  const text = ip.trim();
  const inner = BRACKETED.exec(text)?.[1] ?? V4_WITH_PORT.exec(text)?.[1] ?? text;
  const [address = ''] = inner.split('%'); // the zone id names the interface, not the host
  if (!ipaddr.isValid(address)) return text.toLowerCase();
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const bytes = parsed.toByteArray().map((byte, i) => {
    const kept = Math.min(8, Math.max(0, ipv6Prefix - i * 8));
    return byte & ((0xff << (8 - kept)) & 0xff);
  });
  return `${ipaddr.fromByteArray(bytes).toString()}/${ipv6Prefix}`;
}

/**
 * The limiter of the proxy's `rateLimit` option.
 * @throws RangeError when `ipv6Prefix` is not an integer from 0 to 128.
 */
export function createRateLimiter(options: RateLimitOptions | false | undefined, store: ProxyStore, now: () => number): RateLimiter {
  const ipv6Prefix = (options === false ? undefined : options?.ipv6Prefix) ?? 64;
  if (!Number.isInteger(ipv6Prefix) || ipv6Prefix < 0 || ipv6Prefix > 128) {
    throw new RangeError('createSendAuthProxy: rateLimit.ipv6Prefix must be an integer from 0 to 128');
  }
  const ipKey = (ip: string): string => clientIpKey(ip, ipv6Prefix);
  if (options === false) return { check: async () => undefined, ipKey };
  const { limit, windowMs, ipLimit, ipWindowMs } = { ...RATE_LIMIT_DEFAULTS, ...definedOnly(options) };
  const legacy = options?.store;
  const hit = (key: string, window: number): Promise<StoreHit> =>
    legacy ? Promise.resolve(legacy.hit(key, window, now())) : store.hit(`rate:${key}`, window);
  return {
    async check(keys) {
      const at = now();
      let retryAfterMs: number | undefined;
      // Together: one round trip to a shared store (node-redis pipelines concurrent commands).
      const counted = await Promise.all(
        keys.map(async (key) => {
          const { window, max } = key.startsWith('ip:') ? { window: ipWindowMs, max: ipLimit } : { window: windowMs, max: limit };
          return { max, ...(await hit(key, window)) };
        }),
      );
      for (const { max, count, resetAt } of counted) {
        if (count > max) retryAfterMs = Math.max(retryAfterMs ?? 0, resetAt - at);
      }
      return retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000));
    },
    ipKey,
  };
}

/** The options a caller set (an explicit `undefined` keeps the default). */
function definedOnly(options: RateLimitOptions | undefined): Partial<RateLimitOptions> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
}
