/**
 * For the `test/proxy/attack-*` tests: a proxy mounted as a site mounts it
 * (`toNodeListener` on a real `node:http` socket), attacked over HTTP the way
 * a visitor's script or a tool would: any method, any header, any body, with
 * the site's own Origin unless told otherwise. The SendAuth requests it makes
 * are counted (`countingFetch`), so an answer that costs the site SendAuth
 * calls shows.
 */
import { createServer } from 'node:http';
import { toNodeListener } from '../../src/proxy/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { apiClient, countingFetch, listenLocal, proxyFactory, type RecordingProxy } from './proxy-fixture.js';

export interface AttackedSite extends RecordingProxy {
  /** `http://127.0.0.1:<port>`: the site's own origin, as the default CSRF rule sees it. */
  origin: string;
  /** Every SendAuth request the proxy made, as `METHOD /path/:id`. */
  requests: string[];
  /** How many of `requests` end with `suffix` (e.g. `/check`). */
  count(suffix: string): number;
  /** A request to `/sendauth/<path>`: JSON, the site's Origin, unless `init` says otherwise. */
  send(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/** The proxy of `options` (over `emu`, SendAuth requests counted), listening on a real socket. */
export async function attackedSite(emu: Pick<RunningEmulator, 'url'>, options: Parameters<ReturnType<typeof proxyFactory>>[0] = {}): Promise<AttackedSite> {
  const counting = countingFetch();
  const proxy = proxyFactory((event) => ({ 'Set-Cookie': `site-session=${event.userId}; HttpOnly` }))({
    sendauth: apiClient(emu, { fetch: counting.fetch }),
    ...options,
  });
  const server = await listenLocal(createServer(toNodeListener(proxy.handler)));
  const origin = server.url;
  return {
    ...proxy,
    origin,
    requests: counting.requests,
    count: (suffix) => counting.requests.filter((request) => request.endsWith(suffix)).length,
    send(path, init = {}) {
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const headers: Record<string, string> = { origin, ...init.headers };
      if (method !== 'GET' && method !== 'HEAD') headers['content-type'] ??= 'application/json';
      return fetch(`${origin}/sendauth/${path}`, { method, headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
    },
    close: server.close,
  };
}
