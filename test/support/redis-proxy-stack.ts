/**
 * What the shared-store tests run against: a real `redis-server` on a free
 * port, an emulator, and proxy processes sharing that Redis behind a
 * round-robin forwarder (`startProxyInstances`). `close()` stops all of it.
 */
import type { SendAuthClient } from '../../src/api/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import { API_PASSWORD, API_USERNAME, apiClient, startTestEmulator } from './proxy-fixture.js';
import { startProxyInstances, type ProxyInstances, type ProxyInstancesOptions } from './proxy-instances.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

export interface RedisProxyStack {
  redisServer: RedisServer;
  emulator: RunningEmulator;
  /** A client of the emulator, with the test account. */
  sendauth: SendAuthClient;
  proxies: ProxyInstances;
  close(): Promise<void>;
}

export interface RedisProxyStackOptions {
  emulator?: EmulatorOptions;
  /** `createRedisStore`'s options for every instance (the server's URL is filled in). */
  redis?: Omit<ProxyInstancesOptions['redis'], 'url'>;
  /** JSON-able proxy options for every instance. */
  options?: ProxyInstancesOptions['options'];
}

export async function startRedisProxyStack({ emulator: emulatorOptions, redis, options }: RedisProxyStackOptions = {}): Promise<RedisProxyStack> {
  const [redisServer, emulator] = await Promise.all([startRedisServer(), startTestEmulator(emulatorOptions)]);
  const proxies = await startProxyInstances({
    emulator: { url: emulator.url, username: API_USERNAME, password: API_PASSWORD },
    redis: { url: redisServer.url, ...redis },
    ...(options ? { options } : {}),
  });
  return {
    redisServer,
    emulator,
    sendauth: apiClient(emulator),
    proxies,
    async close() {
      await proxies.close();
      await Promise.all([emulator.close(), redisServer.stop()]);
    },
  };
}
