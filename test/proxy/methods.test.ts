/**
 * Methods and paths (issue 10 §3), over real sockets: on every wire path (read
 * from `WIRE`, so a new endpoint is covered), a method it does not take —
 * OPTIONS, PUT, PATCH among them — is a 405 with `Allow`, before the CSRF
 * rule (no JSON, no Origin needed); HEAD is GET without a body; a path that is
 * no endpoint is a 404 whatever the method.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, beforeEach, test } from 'node:test';
import { toNodeListener } from '../../src/proxy/index.js';
import { WIRE } from '../../src/wire.js';
import { assertErrorShape, client, createUserWithPasskey, listenLocal, proxyFactory, SESSION_HEADER, useEmulator } from '../support/proxy-fixture.js';

useEmulator();
const proxy = proxyFactory();
let server: Awaited<ReturnType<typeof listenLocal>> | undefined;
let endpoint = '';

beforeEach(async () => {
  server ??= await listenLocal(createServer(toNodeListener(proxy({ allowSignup: true }).handler)));
  endpoint = `http://localhost:${server.port}/sendauth`;
});
after(() => server?.close());

/** Each wire path with the methods it takes (HEAD wherever GET). */
function wirePaths(): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const { method, path } of Object.values(WIRE)) {
    byPath.set(path, [...(byPath.get(path) ?? []), ...(method === 'GET' ? ['GET', 'HEAD'] : [method])]);
  }
  return byPath;
}

test('OPTIONS, PUT, PATCH (and every other method a path does not take) → 405 with Allow, without JSON or Origin', async () => {
  const seen: string[] = [];
  for (const [path, allowed] of wirePaths()) {
    const url = `${endpoint}/${path.replace(':tx', crypto.randomUUID())}`;
    for (const method of ['OPTIONS', 'PUT', 'PATCH', 'GET', 'HEAD', 'POST', 'DELETE']) {
      if (allowed.includes(method)) continue;
      for (const headers of [{}, { 'content-type': 'text/plain', origin: 'https://evil.example' }] as Array<Record<string, string>>) {
        const answer = await fetch(url, { method, headers });
        const text = await answer.text();
        assert.equal(answer.status, 405, `${method} ${path}: ${text}`);
        assert.equal(answer.headers.get('allow'), allowed.join(', '), `${method} ${path}`);
        if (method !== 'HEAD') assertErrorShape(answer, text);
        else assert.equal(text, '', 'HEAD has no body');
      }
      seen.push(`${method} ${path}`);
    }
  }
  for (const method of ['OPTIONS', 'PUT', 'PATCH']) {
    assert.ok(seen.some((entry) => entry.startsWith(`${method} `)), `${method} was tried`);
  }
});

test('HEAD is GET without a body: the same status and headers on every GET endpoint', async () => {
  const user = await createUserWithPasskey(client);
  const start = await fetch(`${endpoint}/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(endpoint).origin },
    body: JSON.stringify({ userId: user.id }),
  });
  const { tx } = (await start.json()) as { tx: string };
  const cases: Array<[string, Record<string, string>]> = [
    [`tx/${tx}`, {}],
    [`tx/${crypto.randomUUID()}`, {}],
    ['tx/not-a-uuid', {}],
    ['me', { [SESSION_HEADER]: user.id }],
    ['me', {}],
  ];
  const gets = Object.values(WIRE).filter((entry) => entry.method === 'GET').map((entry) => entry.path);
  for (const path of gets) assert.ok(cases.some(([tried]) => new RegExp(`^${path.replace(':tx', '[^/]+')}$`).test(tried)), `HEAD ${path} is tried`);

  for (const [path, headers] of cases) {
    const get = await fetch(`${endpoint}/${path}`, { headers });
    const getText = await get.text();
    const head = await fetch(`${endpoint}/${path}`, { method: 'HEAD', headers });
    assert.equal(head.status, get.status, `HEAD ${path}: ${getText}`);
    for (const header of ['content-type', 'cache-control', 'allow']) {
      assert.equal(head.headers.get(header), get.headers.get(header), `HEAD ${path}: ${header}`);
    }
    assert.equal(await head.text(), '', `HEAD ${path} has no body`);
  }
});

test('a path that is no endpoint is a 404 in the error shape, whatever the method, before the CSRF rule', async () => {
  for (const path of ['nope', 'tx', 'me/passkeys', 'authenticate/extra']) {
    for (const method of ['GET', 'POST', 'OPTIONS', 'PUT', 'DELETE']) {
      const answer = await fetch(`${endpoint}/${path}`, { method });
      const text = await answer.text();
      assert.equal(answer.status, 404, `${method} ${path}: ${text}`);
      assertErrorShape(answer, text);
    }
  }
});
