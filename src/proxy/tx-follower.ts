/**
 * Following a TX for browsers that wait on it (`GET tx/{tx}?wait=N`): the
 * proxy asks SendAuth's `check` at a modest interval, once per TX however many
 * browsers wait, and answers each waiter as soon as the TX is no longer
 * `pending` (or when its wait ends).
 *
 * "Once per TX" holds across instances too: each interval one instance wins a
 * lease in the shared store (`poll:<tx>`, `setIfAbsent` for one interval) and
 * asks SendAuth; it writes the state it got under `state:<tx>` (for the TX's
 * own lifetime), which every other instance reads instead. In one process,
 * one timer per TX serves every waiter.
 */
import type { SendAuthClient } from '../api/client.js';
import type { TransactionState } from '../types.js';
import { refusalFromSendAuth } from './proxy-refusal.js';
import type { ProxyStore } from './store.js';
import { txKey } from './tx-bindings.js';

/** The longest `?wait=N` a browser may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 30;

interface Waiter {
  resolve: (state: TransactionState) => void;
  reject: (error: unknown) => void;
}

interface Loop {
  waiters: Set<Waiter>;
  /** ms since the epoch when the TX's record may be forgotten (its binding's `expiresAt`). */
  expiresAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface TxFollowerOptions {
  sendauth: SendAuthClient;
  store: ProxyStore;
  now: () => number;
  /** How often SendAuth is asked about one TX, in ms. */
  intervalMs: number;
  reportError: (error: unknown) => void;
}

export class TxFollower {
  readonly #options: TxFollowerOptions;
  readonly #loops = new Map<string, Loop>();

  constructor(options: TxFollowerOptions) {
    this.#options = options;
  }

  /**
   * The TX's state once it is no longer `pending`, or `pending` when `waitMs` passes (or `signal`
   * aborts: the browser went away) first. `expiresAt` (ms) bounds what is kept in the store.
   * Rejects with a `ProxyRefusal` when SendAuth or the store fails.
   */
  async wait(tx: string, expiresAt: number, waitMs: number, signal?: AbortSignal): Promise<TransactionState> {
    const first = await this.#read(tx, expiresAt);
    if (first !== 'pending' || waitMs <= 0 || signal?.aborted) return first;
    let loop = this.#loops.get(tx);
    if (!loop) {
      loop = { waiters: new Set(), expiresAt, timer: undefined };
      this.#loops.set(tx, loop);
      this.#schedule(tx, loop);
    }
    const current = loop;
    return new Promise<TransactionState>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', end);
        current.waiters.delete(waiter);
        if (current.waiters.size === 0) this.#stop(tx, current);
      };
      const waiter: Waiter = {
        resolve: (state) => (done(), resolve(state)),
        reject: (error) => (done(), reject(error)),
      };
      const end = (): void => waiter.resolve('pending');
      const timer = setTimeout(end, waitMs);
      signal?.addEventListener('abort', end, { once: true });
      current.waiters.add(waiter);
    });
  }

  /** One look at the TX: SendAuth's answer when this instance holds the interval's lease, else the shared one. */
  async #read(tx: string, expiresAt: number): Promise<TransactionState> {
    const { store, sendauth, now, intervalMs } = this.#options;
    const ttlMs = Math.max(1, expiresAt - now());
    if (await store.setIfAbsent(txKey('poll', tx), '1', Math.min(intervalMs, ttlMs))) {
      let state: TransactionState;
      try {
        ({ state } = await sendauth.checkTransaction(tx));
      } catch (error) {
        await store.delete(txKey('poll', tx)).catch(() => undefined); // let the next look try again at once
        const refusal = refusalFromSendAuth(error);
        if (refusal.code === 'upstream') this.#options.reportError(error);
        throw refusal;
      }
      await store.set(txKey('state', tx), state, ttlMs);
      return state;
    }
    // Another look is under way (here or on another instance): its last answer, or `pending` until there is one.
    return ((await store.get(txKey('state', tx))) as TransactionState | undefined) ?? 'pending';
  }

  #schedule(tx: string, loop: Loop): void {
    loop.timer = setTimeout(() => void this.#tick(tx, loop), this.#options.intervalMs);
    // A waiting browser's socket keeps the process alive, not this timer.
    (loop.timer as { unref?: () => void }).unref?.();
  }

  async #tick(tx: string, loop: Loop): Promise<void> {
    if (this.#loops.get(tx) !== loop) return;
    try {
      const state = await this.#read(tx, loop.expiresAt);
      if (state !== 'pending') for (const waiter of [...loop.waiters]) waiter.resolve(state);
    } catch (error) {
      for (const waiter of [...loop.waiters]) waiter.reject(error);
    }
    if (this.#loops.get(tx) === loop) this.#schedule(tx, loop);
  }

  #stop(tx: string, loop: Loop): void {
    clearTimeout(loop.timer);
    if (this.#loops.get(tx) === loop) this.#loops.delete(tx);
  }
}
