/**
 * The proxy's store on Redis (`store.ts`, DESIGN.md "State the proxy keeps"):
 * one shared store for several proxy instances and serverless hosts. Speaks
 * only commands every Redis-protocol server has had since Redis 2.6 (GET,
 * SET NX PX, DEL, EVAL with INCR/PTTL/PEXPIRE), so Redis 6.2 and 7, Valkey
 * and managed Redis all serve it; no modules.
 */
import type { ProxyStore, StoreClaimResult, StoreHit } from './store.js';

/**
 * The part of a node-redis client (`redis` 5 or 6, the official client) this store calls, typed
 * by shape so this package does not depend on `redis`. A `createClient()` client satisfies it as
 * is (tested with `redis@6.3.1`); a `createCluster()` client fits the type too (not tested here).
 */
export interface RedisStoreClient {
  /** `GET key` → the string, or `null` when there is none. */
  get(key: string): Promise<unknown>;
  /** `SET key value [NX] PX ms` → `'OK'`, or `null` when `NX` found the key taken. */
  set(key: string, value: string, options: { condition?: 'NX'; expiration: { type: 'PX'; value: number } }): Promise<unknown>;
  /** `DEL key` → how many keys it removed. */
  del(key: string): Promise<unknown>;
  /** `EVAL script numkeys keys… args…` → the script's reply. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** A view of the client whose commands are dropped from its queue when `abortSignal` fires before they are sent. */
  withCommandOptions(options: { abortSignal: AbortSignal }): Omit<RedisStoreClient, 'withCommandOptions' | 'on' | 'listenerCount'>;
  on?(event: 'error', listener: (error: unknown) => void): unknown;
  listenerCount?(event: 'error'): number;
}

export interface RedisStoreOptions {
  /** Put before every key, so the proxy's keys stay apart from the site's own. @default 'sendauth:' */
  prefix?: string;
  /**
   * How long one store call may take, in ms. Past it the call rejects with a `RedisStoreError`
   * (`timedOut: true`) and the proxy answers 503 `upstream` at once, rather than after the
   * client's own 5 s connect timeout or never (node-redis keeps commands queued while it
   * reconnects). @default 1_000
   */
  timeoutMs?: number;
}

/** A store call that failed or timed out; `cause` holds the client's own error, if any. */
export class RedisStoreError extends Error {
  override readonly name = 'RedisStoreError';
  /** The Redis command that failed, e.g. `SET NX`. */
  readonly command: string;
  /** True when Redis did not answer within `timeoutMs`. */
  readonly timedOut: boolean;

  constructor(command: string, message: string, options: { timedOut: boolean; cause?: unknown }) {
    super(`Redis store: ${command} ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.command = command;
    this.timedOut = options.timedOut;
  }
}

/**
 * One fixed window: INCR, and PEXPIRE only when the key is new (or somehow has no TTL), then the
 * count and the window's remaining ms. One script, so the count and its expiry are one atomic step
 * (a crash between INCR and PEXPIRE cannot leave a key that never expires).
 */
const HIT_SCRIPT = `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/**
 * `claimIf`: GET the record; when it is a JSON object holding every field of the `where` object
 * (ARGV[1]; JSON `null`: the field is absent), SET NX PX the marker and, when that took it, count
 * the hit as `HIT_SCRIPT` does: the marker for ARGV[3] ms, a new window for ARGV[4] ms (0: the
 * record's remaining PTTL). Replies `{record, 0}` or `{record, 1, count, pttl}` (a missing
 * record is a nil reply). KEYS must share one hash slot on a cluster (the proxy's TX keys do).
 */
const CLAIM_SCRIPT = `local record = redis.call('GET', KEYS[1])
if not record then return {false, 0} end
-- cjson decodes an array to a table too: only a JSON object has fields.
if not string.find(record, '^[ \\t\\r\\n]*{') then return {record, 0} end
local ok, fields = pcall(cjson.decode, record)
if not ok or type(fields) ~= 'table' then return {record, 0} end
for name, wanted in pairs(cjson.decode(ARGV[1])) do
  local value = fields[name]
  if wanted == cjson.null then
    if value ~= nil and value ~= cjson.null then return {record, 0} end
  elseif value ~= wanted then
    return {record, 0}
  end
end
local left = math.max(1, redis.call('PTTL', KEYS[1]))
local markerTtl = tonumber(ARGV[3])
if markerTtl == 0 then markerTtl = left end
if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', markerTtl) then return {record, 0} end
local window = tonumber(ARGV[4])
if window == 0 then window = left end
local count = redis.call('INCR', KEYS[3])
local ttl = redis.call('PTTL', KEYS[3])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[3], window)
  ttl = window
end
return {record, 1, count, ttl}`;

/** Deletes the key only while it still holds the value this store wrote (undoing a late `SET NX`). */
const DELETE_IF_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A `ProxyStore` on Redis, for `createSendAuthProxy({ store })` when several instances or
 * serverless invocations must share what the proxy remembers.
 *
 * - Every key is `prefix + key` and is written with a TTL in ms (`SET … PX`; PX is at least 1).
 * - `setIfAbsent` is `SET NX PX`: atomic across every instance (the once-only guard).
 * - `hit` is one Lua script (INCR; PEXPIRE when the key is new; PTTL); `resetAt` is this
 *   host's `Date.now()` when the answer arrives plus the key's PTTL.
 * - Each call is bounded by `timeoutMs`. A late reply cannot do harm: a command still queued in
 *   the client when the time runs out is dropped from the queue (it never runs, even after a
 *   reconnect); a reply that arrives later is ignored; and a `SET NX` that turns out to have
 *   succeeded after its caller was told it failed is undone (deleted while it still holds the
 *   value written), so no once-only marker is left that nobody holds. A late `set` or `hit` is
 *   left to its TTL (a binding the browser never got; one start counted that was refused).
 * - Fails by rejecting with `RedisStoreError`; the proxy reports it through `onError` and answers
 *   503 `upstream` (fail closed).
 *
 * The client is yours: connect it once per instance (`await client.connect()`) and close it
 * yourself. node-redis ends the process on a connection `error` event nobody listens to; when the
 * client has no `error` listener, this store adds one that ignores the event (each failed call
 * still reaches `onError`). Add your own to log connection trouble.
 *
 * @see https://redis.io/docs/latest/commands/set/ (`NX`, `PX`; a lock's value checked before release)
 * @see https://redis.io/docs/latest/commands/incr/ ("Pattern: Rate limiter": INCR, and EXPIRE on the first hit, in one script)
 * @see https://github.com/redis/node-redis (the client; `withCommandOptions({ abortSignal })` drops unsent commands)
 * @param client a node-redis client (`createClient({ url })` from `redis`), connected or connecting:
 * calls made while it (re)connects wait for it, at most `timeoutMs`
 * @throws TypeError when `timeoutMs` is not a positive number, or `client` is not a node-redis 5 or 6
 * client (node-redis 4 would ignore the NX and PX options this store relies on)
 * @example
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).on('error', console.warn).connect();
 * const proxy = createSendAuthProxy({ sendauth, store: createRedisStore(redis) });
 */
export function createRedisStore(client: RedisStoreClient, options: RedisStoreOptions = {}): ProxyStore {
  const prefix = options.prefix ?? 'sendauth:';
  const timeoutMs = options.timeoutMs ?? 1_000;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new TypeError(`createRedisStore: timeoutMs must be a positive number of ms, not ${String(options.timeoutMs)}.`);
  }
  // node-redis 4 has no withCommandOptions and reads SET's options differently (it would drop NX and
  // PX without a word): refuse it here rather than let the once-only guard silently stop holding.
  if (typeof client?.withCommandOptions !== 'function') {
    throw new TypeError('createRedisStore: `client` must be a node-redis 5 or 6 client (createClient from `redis`); this one has no withCommandOptions.');
  }
  if (client.listenerCount?.('error') === 0) client.on?.('error', () => undefined);
  const px = (ms: number): number => Math.max(1, Math.ceil(ms));

  /**
   * Runs one command with `timeoutMs` to answer. On time-out the command is dropped from the
   * client's queue when it was not sent yet; `onLate` sees a reply that arrives afterwards.
   */
  function bounded<T>(command: string, run: (redis: Omit<RedisStoreClient, 'withCommandOptions'>) => Promise<T>, onLate?: (reply: T) => void): Promise<T> {
    const abort = new AbortController();
    let pending: Promise<T>;
    try {
      pending = run(client.withCommandOptions({ abortSignal: abort.signal }));
    } catch (error) {
      return Promise.reject(new RedisStoreError(command, `failed: ${describe(error)}`, { timedOut: false, cause: error }));
    }
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
        reject(new RedisStoreError(command, `did not answer within ${timeoutMs} ms`, { timedOut: true }));
      }, timeoutMs);
      pending.then(
        (reply) => {
          if (timedOut) return onLate?.(reply);
          clearTimeout(timer);
          resolve(reply);
        },
        (error: unknown) => {
          if (timedOut) return; // already answered; a dropped or failed late command changes nothing
          clearTimeout(timer);
          reject(new RedisStoreError(command, `failed: ${describe(error)}`, { timedOut: false, cause: error }));
        },
      );
    });
  }

  /** Removes a marker taken too late (its caller was told the store failed) while it still holds `value`. */
  function undoMarker(fullKey: string, value: string): void {
    bounded('EVAL delete-if', (redis) => redis.eval(DELETE_IF_SCRIPT, { keys: [fullKey], arguments: [value] })).catch(
      () => undefined, // the marker still expires with its TTL
    );
  }

  return {
    async get(key) {
      const value = await bounded('GET', (redis) => redis.get(prefix + key));
      return value === null || value === undefined ? undefined : String(value);
    },
    async set(key, value, ttlMs) {
      await bounded('SET', (redis) => redis.set(prefix + key, value, { expiration: { type: 'PX', value: px(ttlMs) } }));
    },
    async setIfAbsent(key, value, ttlMs) {
      const reply = await bounded(
        'SET NX',
        (redis) => redis.set(prefix + key, value, { condition: 'NX', expiration: { type: 'PX', value: px(ttlMs) } }),
        (late) => late === 'OK' && undoMarker(prefix + key, value),
      );
      return reply === 'OK';
    },
    async delete(key) {
      await bounded('DEL', (redis) => redis.del(prefix + key));
    },
    async claimIf({ recordKey, where, marker, counter }): Promise<StoreClaimResult> {
      const markerKey = prefix + marker.key;
      const reply = await bounded(
        'EVAL claim',
        (redis) =>
          redis.eval(CLAIM_SCRIPT, {
            keys: [prefix + recordKey, markerKey, prefix + counter.key],
            // 0 asks the script for the record's own remaining TTL.
            arguments: [JSON.stringify(where), marker.value, ...[marker.ttlMs, counter.windowMs].map((ms) => String(ms === undefined ? 0 : px(ms)))],
          }),
        // Taken after its caller was told the store failed: give it back, as a late SET NX is.
        (late) => Array.isArray(late) && Number(late[1]) === 1 && undoMarker(markerKey, marker.value),
      );
      if (!Array.isArray(reply) || (reply.length !== 2 && reply.length !== 4)) {
        throw new RedisStoreError('EVAL claim', `answered ${JSON.stringify(reply)}, not [record, claimed, count?, pttl?]`, { timedOut: false });
      }
      const record = reply[0] === null || reply[0] === undefined ? undefined : String(reply[0]);
      if (Number(reply[1]) !== 1) return { record, claimed: false };
      return { record, claimed: true, hit: { count: Number(reply[2]), resetAt: Date.now() + Number(reply[3]) } };
    },
    async hit(key, windowMs): Promise<StoreHit> {
      const reply = await bounded('EVAL hit', (redis) => redis.eval(HIT_SCRIPT, { keys: [prefix + key], arguments: [String(px(windowMs))] }));
      if (!Array.isArray(reply) || reply.length !== 2) {
        throw new RedisStoreError('EVAL hit', `answered ${JSON.stringify(reply)}, not [count, pttl]`, { timedOut: false });
      }
      return { count: Number(reply[0]), resetAt: Date.now() + Number(reply[1]) };
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
