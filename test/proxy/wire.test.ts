/**
 * The wire table (`src/wire.ts`) is the one description of the protocol:
 * every entry is served by the proxy at its method and path with its success
 * status, every other method on that path is a 405 naming the table's
 * methods, and `ProxyClient` has a method per entry that sends exactly that
 * request. All through a real proxy on a real socket, over a real emulator.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { ProxyClient } from '../../src/client/proxy-client.js';
import { toNodeListener } from '../../src/proxy/node.js';
import { WIRE, type WireName } from '../../src/wire.js';
import { approveOnDevice } from '../support/approve-on-device.js';
import { client, createUserWithPasskey, emu, listenLocal, proxyFactory, useEmulator } from '../support/proxy-fixture.js';

useEmulator();
const proxy = proxyFactory();

/** The proxy on a socket, with what a browser adds to each request (its Origin), `sessionUserId` signed in. */
async function serve(sessionUserId: string) {
  const seen: Array<{ method: string; path: string; status: number }> = [];
  const { handler } = proxy({ allowSignup: true, rateLimit: false, getSessionUserId: () => sessionUserId });
  const listener = toNodeListener(handler);
  const server = await listenLocal(
    createServer((req, res) => {
      req.headers.origin ??= `http://localhost:${server.port}`;
      res.on('finish', () => seen.push({ method: req.method ?? '', path: new URL(req.url ?? '', 'http://x').pathname, status: res.statusCode }));
      void listener(req, res);
    }),
  );
  return { server, seen, endpoint: `http://localhost:${server.port}/sendauth` };
}

const pathPattern = (name: WireName): RegExp => new RegExp(`^/sendauth/${WIRE[name].path.replace(':tx', '[0-9a-f-]{36}')}$`);

test('ProxyClient calls every wire endpoint with the table’s method and path, and the proxy answers each with its status', async () => {
  const user = await createUserWithPasskey(client);
  const { server, seen, endpoint } = await serve(user.id);
  try {
    const proxyClient = new ProxyClient({ endpoint });
    const start = await proxyClient.authenticate({ username: user.email });
    if (start.kind !== 'authentication' || start.mode !== 'webauthn') throw new Error('unreachable');
    const calls: Record<WireName, () => Promise<unknown>> = {
      authenticate: async () => start,
      status: () => proxyClient.status(start.tx),
      verify: async () => proxyClient.verify(start.tx, await user.authenticator.authenticate(start.options, { origin: new URL(endpoint).origin })),
      cancel: async () => {
        const another = await proxyClient.authenticate({ username: user.email });
        return proxyClient.cancel(another.tx, another.proof);
      },
      approve: () => proxyClient.approve({ message: 'Pay €120 to Acme' }),
      complete: async () => {
        const approval = await proxyClient.authenticate({ username: user.email, mode: 'approval' });
        if (approval.mode !== 'approval') throw new Error('expected an approval start');
        await approveOnDevice(emu, approval.tx, user.authenticator);
        return proxyClient.complete(approval.tx, approval.proof);
      },
      me: () => proxyClient.me(),
      removePasskey: () => proxyClient.removePasskey(),
      register: () => proxyClient.register(), // after removePasskey: a user with a passkey is refused
      signup: () => proxyClient.signup({ email: `${crypto.randomUUID()}@example.test`, firstName: 'Ada', lastName: 'Lovelace' }),
    };
    for (const call of Object.values(calls)) await call();

    for (const name of Object.keys(WIRE) as WireName[]) {
      const { method, ok } = WIRE[name];
      const hit = seen.find((request) => request.method === method && pathPattern(name).test(request.path) && request.status === ok);
      assert.ok(hit, `${name}: no ${method} ${WIRE[name].path} answered ${ok}; seen ${JSON.stringify(seen)}`);
    }
    assert.deepEqual(Object.keys(calls).sort(), Object.keys(WIRE).sort(), 'a client call per wire entry');
  } finally {
    await server.close();
  }
});

test('every other method on a wire path is a 405 whose Allow lists exactly the table’s methods for it (and HEAD with GET)', async () => {
  const { server, endpoint } = await serve(crypto.randomUUID());
  try {
    const byPath = new Map<string, string[]>();
    for (const { method, path } of Object.values(WIRE)) {
      byPath.set(path, [...(byPath.get(path) ?? []), ...(method === 'GET' ? ['GET', 'HEAD'] : [method])]);
    }
    for (const [path, methods] of byPath) {
      const url = `${endpoint}/${path.replace(':tx', crypto.randomUUID())}`;
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        if (methods.includes(method)) continue;
        const response = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        assert.equal(response.status, 405, `${method} ${path}`);
        assert.equal(response.headers.get('allow'), methods.join(', '), `${method} ${path}`);
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'invalid-request');
      }
    }
  } finally {
    await server.close();
  }
});

test('ProxyClient has one method per wire entry and no other public request method', () => {
  const methods = Object.getOwnPropertyNames(ProxyClient.prototype).filter((name) => name !== 'constructor');
  assert.deepEqual(methods.sort(), Object.keys(WIRE).sort());
});
