export { createSendAuthProxy } from './create-proxy.js';
export { checkCsrf } from './csrf.js';
export { ProxyRefusal } from './proxy-refusal.js';
export { toNodeListener } from './node.js';
export type { ProxyContext, SendAuthProxyHandler, SendAuthProxyOptions, VerifiedEvent } from './options.js';
export { MemoryRateLimitStore, type RateLimitHit, type RateLimitOptions, type RateLimitStore } from './rate-limit.js';
export { MemoryTxBindingStore, type TxBinding, type TxBindingStore } from './tx-bindings.js';
export { MemoryStore, type ProxyStore, type StoreHit } from './store.js';
export { createRedisStore, RedisStoreError, type RedisStoreClient, type RedisStoreOptions } from './redis-store.js';
