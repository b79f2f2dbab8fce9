import { ProxyRefusal } from './proxy-refusal.js';
import type { ProxyStore, StoreClaim } from './store.js';

/**
 * The proxy's view of its store: any failure (Redis down, slow past the
 * store's own timeout) is reported through `onError` and becomes a 503
 * `upstream` refusal, so the request fails closed and the next one tries
 * the store again (recovery needs nothing from the proxy).
 */
export function guardStore(store: ProxyStore, reportError: (error: unknown) => void): ProxyStore {
  const guard =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (error instanceof ProxyRefusal) throw error;
        reportError(error);
        throw new ProxyRefusal('upstream', 'The sign-in state store is unavailable right now.', { status: 503 });
      }
    };
  return {
    get: guard((key) => store.get(key)),
    set: guard((key, value, ttlMs) => store.set(key, value, ttlMs)),
    setIfAbsent: guard((key, value, ttlMs) => store.setIfAbsent(key, value, ttlMs)),
    delete: guard((key) => store.delete(key)),
    hit: guard((key, windowMs) => store.hit(key, windowMs)),
    ...(store.claimIf ? { claimIf: guard((claim: StoreClaim) => store.claimIf!(claim)) } : {}),
  };
}
