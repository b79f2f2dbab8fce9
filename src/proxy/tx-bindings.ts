/**
 * What the proxy remembers of each transaction it started: the user and the
 * kind it was created for.
 *
 * Why a server-side store rather than a signed token handed to the browser:
 * replay protection needs state anyway (a token cannot say "already used"),
 * the wire protocol stays `{ tx }` only, and nothing the browser holds can be
 * edited to point a TX at another user. The default store is this process's
 * memory; a site with several instances passes a shared `TxBindingStore`
 * (SendAuth's own at-most-once completion still refuses a cross-instance
 * replay, but the binding check needs the record).
 */
import type { CeremonyKind } from '../types.js';

export interface TxBinding {
  userId: string;
  kind: CeremonyKind;
  /** The proxy route that started it: `authenticate`, `register` or `signup`. */
  flow: 'authenticate' | 'register' | 'signup';
  /** `verified` once this proxy has confirmed it; kept until expiry so a replay is named as one. */
  state: 'started' | 'verified' | 'cancelled';
  /** ms since the epoch; after this the record is forgotten. */
  expiresAt: number;
}

export interface TxBindingStore {
  get(tx: string): TxBinding | undefined | Promise<TxBinding | undefined>;
  set(tx: string, binding: TxBinding): void | Promise<void>;
}

/** In memory, with expired records swept as new ones arrive. */
export class MemoryTxBindingStore implements TxBindingStore {
  readonly #bindings = new Map<string, TxBinding>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(tx: string): TxBinding | undefined {
    const binding = this.#bindings.get(tx);
    if (binding && binding.expiresAt <= this.#now()) {
      this.#bindings.delete(tx);
      return undefined;
    }
    return binding;
  }

  set(tx: string, binding: TxBinding): void {
    const now = this.#now();
    // Sweeping on insert bounds memory by the TXs started in the last TTL.
    for (const [key, old] of this.#bindings) {
      if (old.expiresAt > now) break; // insertion order ≈ expiry order
      this.#bindings.delete(key);
    }
    this.#bindings.set(tx, binding);
  }
}
