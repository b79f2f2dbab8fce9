/**
 * What the proxy remembers of each transaction it started: the user and the
 * kind it was created for, and whether it was verified or cancelled here.
 *
 * Why a server-side record rather than a signed token handed to the browser:
 * replay protection needs state anyway (a token cannot say "already used"),
 * the wire protocol stays `{ tx }` only, and nothing the browser holds can be
 * edited to point a TX at another user. The records live in the proxy's
 * `store` (`store.ts`) under `tx:<id>`, each for as long as its TX plus a
 * margin, so a late replay is still named as one.
 */
import type { CeremonyKind } from '../types.js';
import { recordMatches, type ProxyStore, type StoreHit } from './store.js';

export interface TxBinding {
  userId: string;
  kind: CeremonyKind;
  /** The proxy route that started it: `authenticate`, `register`, `signup`, or `approve` (a step-up). */
  flow: 'authenticate' | 'register' | 'signup' | 'approve';
  /** `verified` once this proxy has confirmed it; kept until expiry so a replay is named as one. */
  state: 'started' | 'verified' | 'cancelled';
  /** ms since the epoch; after this the record is forgotten. */
  expiresAt: number;
  /** `approval`: the user approves on their own device and the browser completes it (`complete`); absent: the in-browser ceremony (`verify`). */
  mode?: 'approval';
  /**
   * SHA-256 (hex) of the proof handed to the starting browser (both modes); the proof itself is
   * never stored. `cancel` requires the proof, and so does `complete` (approval mode).
   */
  proofHash?: string;
  /**
   * Webauthn mode: SHA-256 (hex) of the ceremony's challenge bytes. `verify` forwards a response
   * only when its `clientDataJSON` carries that challenge, so a stranger who knows the TX id (not
   * the options its starter got) can neither spend the TX's budget nor hold its verify marker.
   */
  challengeHash?: string;
  /** A step-up: the message the user approves, as `confirmApproval` must be given it. */
  message?: string;
}

/**
 * @deprecated Pass `store` (a `ProxyStore`) instead of `txStore`; kept for one release. A store of
 * TX bindings keyed by TX id.
 */
export interface TxBindingStore {
  get(tx: string): TxBinding | undefined | Promise<TxBinding | undefined>;
  set(tx: string, binding: TxBinding): void | Promise<void>;
}

/** How long a binding outlives its TX, so a replay after expiry is still named as one. */
export const BINDING_MARGIN_MS = 60_000;

/** What the proxy keeps about one TX in its store: the binding, markers, the budget, the shared state. */
export type TxKeyName = 'tx' | 'verifying' | 'completed' | 'confirmed' | 'attempts' | 'poll' | 'state';

/**
 * The store key `name` keeps about `tx`: `<name>:{<tx>}`. The braces make the TX id the key's hash
 * tag, so every key about one TX sits in one slot of a Redis cluster, where one script may read
 * and write several of them (https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags).
 */
export function txKey(name: TxKeyName, tx: string): string {
  return `${name}:{${tx}}`;
}

/**
 * Verify's first step (`TxBindings.claimVerify`): the binding as it was when the claim was decided
 * (`undefined` when there is none, or it expired), and whether this request took the TX's verify
 * marker (the binding matched and no other verify holds it), with the TX's budget (`attempts`)
 * after this request's count.
 */
export type VerifyClaim =
  | { binding: TxBinding | undefined; claimed: false }
  | { binding: TxBinding; claimed: true; budget: StoreHit };

/** Reads and writes bindings in the proxy's store (or, deprecated, in a `TxBindingStore`). */
export class TxBindings {
  readonly #store: ProxyStore;
  readonly #legacy: TxBindingStore | undefined;
  readonly #now: () => number;

  constructor(store: ProxyStore, now: () => number, legacy?: TxBindingStore) {
    this.#store = store;
    this.#now = now;
    this.#legacy = legacy;
  }

  async get(tx: string): Promise<TxBinding | undefined> {
    if (this.#legacy) {
      const binding = await this.#legacy.get(tx);
      return binding && binding.expiresAt > this.#now() ? binding : undefined;
    }
    const text = await this.#store.get(txKey('tx', tx));
    return text === undefined ? undefined : (JSON.parse(text) as TxBinding);
  }

  /** Stores `binding` until its `expiresAt`. */
  async set(tx: string, binding: TxBinding): Promise<void> {
    if (this.#legacy) return this.#legacy.set(tx, binding);
    await this.#store.set(txKey('tx', tx), JSON.stringify(binding), binding.expiresAt - this.#now());
  }

  /**
   * Reads the binding of `tx` and, when it is an in-browser ceremony (no `mode`) still `started`,
   * of `kind`, whose challenge hash is `challengeHash`, takes its verify marker (`verifying`, holding
   * `marker`) and counts one request on its budget (`attempts`), both for the binding's remaining
   * life. A request that does not match takes and spends nothing. One atomic round trip where the
   * store has `claimIf` (Redis: one script); else, or with a deprecated `txStore`, a read, this
   * check, the marker (for the binding's life by this clock plus `BINDING_MARGIN_MS`), then the
   * count (should it fail, the marker is given back).
   * @throws ProxyRefusal `upstream` (503) when the store fails (from the guarded store)
   */
  async claimVerify(tx: string, expected: { kind: CeremonyKind; challengeHash: string }, marker: string): Promise<VerifyClaim> {
    const where = { state: 'started', mode: null, kind: expected.kind, challengeHash: expected.challengeHash };
    const markerKey = txKey('verifying', tx);
    if (!this.#legacy && this.#store.claimIf) {
      const { record, claimed, hit } = await this.#store.claimIf({
        recordKey: txKey('tx', tx),
        where,
        marker: { key: markerKey, value: marker },
        counter: { key: txKey('attempts', tx) },
      });
      const binding = record === undefined ? undefined : (JSON.parse(record) as TxBinding);
      return claimed && binding && hit ? { binding, claimed, budget: hit } : { binding, claimed: false };
    }
    const binding = await this.get(tx);
    if (!binding || !recordMatches(JSON.stringify(binding), where)) return { binding, claimed: false };
    const ttlMs = Math.max(1, binding.expiresAt - this.#now());
    // The marker outlives the binding by its margin (as `confirmApproval`'s does): this clock may run
    // ahead of the starting instance's, and should the binding's `verified` write fail, a marker
    // that expired before the binding would let a replay claim the TX again.
    if (!(await this.#store.setIfAbsent(markerKey, marker, ttlMs + BINDING_MARGIN_MS))) return { binding, claimed: false };
    try {
      return { binding, claimed: true, budget: await this.#store.hit(txKey('attempts', tx), ttlMs) };
    } catch (error) {
      // Not counted, so not claimed: as `claimIf`'s one step, a failure leaves nothing taken (no
      // marker that nobody holds, which would refuse the same verify for the binding's life).
      await this.#store.delete(markerKey).catch(() => undefined);
      throw error;
    }
  }
}

/** @deprecated `txStore` bindings in this process's memory; the proxy's default `store` replaces it. Kept for one release. */
export class MemoryTxBindingStore implements TxBindingStore {
  readonly #bindings = new Map<string, TxBinding>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(tx: string): TxBinding | undefined {
    const binding = this.#bindings.get(tx);
    if (binding && binding.expiresAt <= this.#now()) this.#bindings.delete(tx);
    return this.#bindings.get(tx);
  }

  set(tx: string, binding: TxBinding): void {
    this.#bindings.set(tx, binding);
  }
}
