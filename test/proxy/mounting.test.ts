/**
 * The proxy mounted the ways a site mounts it: `toNodeListener` on a real
 * `node:http` server (as is, and Express-style with the mount path stripped
 * from `req.url`), and inside a Hono app. Real sockets, real `fetch`.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { rawRequest } from '../support/raw-http.js';
import { MemoryRateLimitStore, toNodeListener, type RateLimitStore } from '../../src/proxy/index.js';
import type { CeremonyStart, ErrorBody, VerifyResult } from '../../src/wire.js';
import {
  assertErrorShape,
  client,
  createUserWithPasskey,
  expectError,
  expectStart,
  listenLocal,
  ORIGIN,
  proxyFactory,
  readJson,
  SESSION_HEADER,
  useEmulator,
} from '../support/proxy-fixture.js';

useEmulator();

/** A proxy whose `onVerified` sets two cookies, so each must come out as its own `Set-Cookie` header. */
const proxy = proxyFactory((event) => {
  const headers = new Headers();
  headers.append('Set-Cookie', `sid=${event.userId}; Path=/; HttpOnly`);
  headers.append('Set-Cookie', 'signed_in=1; Path=/');
  return headers;
});

/** What a browser on `origin` sends to the proxy at `url`. */
function post(url: string, origin: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin, ...headers }, body: JSON.stringify(body) });
}

/** A full sign-in through whatever `send` reaches: start, ceremony on `origin`, verify. */
async function signInThrough(send: (path: string, body: unknown) => Promise<Response>, origin: string) {
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await send('authenticate', { username: user.email }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const answer = await send(`tx/${start.tx}/verify`, await user.authenticator.authenticate(start.options, { origin }));
  return { user, start, answer };
}

describe('toNodeListener on node:http', () => {
  test('a full sign-in over real HTTP, with both cookies as separate Set-Cookie headers', async () => {
    const { handler, verified } = proxy();
    const server = await listenLocal(createServer(toNodeListener(handler)));
    try {
      // The browser's origin is the server's own: the default CSRF rule compares with the Host it sees.
      const origin = `http://localhost:${server.port}`;
      const { user, start, answer } = await signInThrough((path, body) => post(`${origin}/sendauth/${path}`, origin, body), origin);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.headers.getSetCookie(), [`sid=${user.id}; Path=/; HttpOnly`, 'signed_in=1; Path=/']);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await readJson<VerifyResult>(answer), { state: 'verified', kind: 'authentication', userId: user.id });
      assert.deepEqual(verified.map((e) => [e.userId, e.kind, e.tx]), [[user.id, 'authentication', start.tx]]);
      // onVerified sees the request as it came in, cookies and all.
      assert.equal(new URL(verified[0]!.request.url).origin, origin);

      // GET and DELETE over the wire too.
      const state = await fetch(`${origin}/sendauth/tx/${start.tx}`);
      assert.deepEqual(await readJson(state), { state: 'verified' });
      const me = await fetch(`${origin}/sendauth/me`, { headers: { [SESSION_HEADER]: user.id } });
      assert.equal((await readJson<{ userId: string }>(me)).userId, user.id);
    } finally {
      await server.close();
    }
  });

  test('errors keep status, JSON, and headers over the wire', async () => {
    const { handler } = proxy();
    const server = await listenLocal(createServer(toNodeListener(handler)));
    try {
      const origin = `http://localhost:${server.port}`;
      const wrongMethod = await fetch(`${origin}/sendauth/authenticate`);
      assert.equal(wrongMethod.headers.get('allow'), 'POST');
      await expectError(wrongMethod, 405, 'invalid-request');
      await expectError(await post(`${origin}/sendauth/authenticate`, 'http://evil.example', { username: 'x' }), 403, 'forbidden');
      await expectError(await fetch(`${origin}/elsewhere`), 404);
      // A large body over a real socket, with Content-Length and chunked.
      const big = JSON.stringify({ username: 'x'.repeat(70_000) });
      await expectError(await post(`${origin}/sendauth/authenticate`, origin, JSON.parse(big)), 413, 'invalid-request');
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 10; i += 1) controller.enqueue(new Uint8Array(10_000).fill(0x20));
          controller.close();
        },
      });
      const streamed = await fetch(`${origin}/sendauth/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: chunked,
        duplex: 'half',
      } as RequestInit & { duplex: 'half' });
      await expectError(streamed, 413, 'invalid-request');
      // A request Node cannot turn into a Fetch Request still gets the error shape.
      const badHost = await rawRequest(`${origin}/sendauth/me`, { headers: { host: 'bad host' } });
      assert.equal(badHost.status, 400);
      assert.match(badHost.contentType ?? '', /application\/json/);
      assert.equal((JSON.parse(badHost.body) as ErrorBody).error.code, 'invalid-request');
      // Still serving.
      const user = await createUserWithPasskey(client);
      await expectStart(await post(`${origin}/sendauth/authenticate`, origin, { userId: user.id }), 'authentication');
    } finally {
      await server.close();
    }
  });

  test('the socket address is the client IP for rate limiting; X-Forwarded-For does not change it', async () => {
    const keys: string[] = [];
    const memory = new MemoryRateLimitStore();
    const store: RateLimitStore = { hit: (key, windowMs, now) => (keys.push(key), memory.hit(key, windowMs, now)) };
    const { handler } = proxy({ rateLimit: { store, ipLimit: 5 } });
    const server = await listenLocal(createServer(toNodeListener(handler)));
    try {
      const origin = `http://localhost:${server.port}`;
      const users = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createUserWithPasskey(client)));
      for (const [i, user] of users.slice(0, 5).entries()) {
        const answer = await post(`${origin}/sendauth/authenticate`, origin, { username: user.email }, { 'x-forwarded-for': `203.0.113.${i}` });
        await expectStart(answer, 'authentication');
      }
      const limited = await post(`${origin}/sendauth/authenticate`, origin, { username: users[5]!.email }, { 'x-forwarded-for': '203.0.113.99' });
      assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
      await expectError(limited, 429, 'rate-limited');
      assert.ok(keys.includes('ip:127.0.0.1'), keys.join(', '));
      assert.ok(!keys.some((key) => key.includes('203.0.113')), keys.join(', '));
      assert.ok(!keys.includes('ip:unknown'), keys.join(', '));
    } finally {
      await server.close();
    }
  });

  test('getClientIp, when given, decides the IP (a site behind a trusted reverse proxy)', async () => {
    const keys: string[] = [];
    const memory = new MemoryRateLimitStore();
    const store: RateLimitStore = { hit: (key, windowMs, now) => (keys.push(key), memory.hit(key, windowMs, now)) };
    const { handler } = proxy({ rateLimit: { store }, getClientIp: (request) => request.headers.get('x-real-ip') ?? undefined });
    const server = await listenLocal(createServer(toNodeListener(handler)));
    try {
      const origin = `http://localhost:${server.port}`;
      const user = await createUserWithPasskey(client);
      await expectStart(await post(`${origin}/sendauth/authenticate`, origin, { userId: user.id }, { 'x-real-ip': '198.51.100.7' }), 'authentication');
      assert.ok(keys.includes('ip:198.51.100.7'), keys.join(', '));
    } finally {
      await server.close();
    }
  });
});

describe('Express-style mounting (mount path stripped from req.url, kept in req.originalUrl)', () => {
  /** What Express's `app.use(mountPath, listener)` does to the request before the listener sees it. */
  function expressLike(mountPath: string, listener: ReturnType<typeof toNodeListener>) {
    return createServer((req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
      const url = req.url ?? '/';
      if (url === mountPath || url.startsWith(`${mountPath}/`) || url.startsWith(`${mountPath}?`)) {
        req.originalUrl = url;
        req.url = url.slice(mountPath.length) || '/';
        if (req.url.startsWith('?')) req.url = `/${req.url}`;
        void listener(req, res);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('the site');
    });
  }

  test('app.use("/sendauth", toNodeListener(proxy)): a full sign-in works', async () => {
    const { handler, verified } = proxy();
    const server = await listenLocal(expressLike('/sendauth', toNodeListener(handler)));
    try {
      const origin = `http://localhost:${server.port}`;
      const { user, answer } = await signInThrough((path, body) => post(`${origin}/sendauth/${path}?from=element`, origin, body), origin);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.getSetCookie().length, 2);
      assert.deepEqual(verified.map((e) => e.userId), [user.id]);
      assert.equal(await (await fetch(`${origin}/about`)).text(), 'the site');
    } finally {
      await server.close();
    }
  });

  test('a nested mount (basePath /api/auth, mounted at /api) works too', async () => {
    const { handler } = proxy({ basePath: '/api/auth' });
    const server = await listenLocal(expressLike('/api', toNodeListener(handler)));
    try {
      const origin = `http://localhost:${server.port}`;
      const user = await createUserWithPasskey(client);
      await expectStart(await post(`${origin}/api/auth/authenticate`, origin, { userId: user.id }), 'authentication');
      const unknown = await fetch(`${origin}/api/other`);
      const text = await unknown.text();
      assert.equal(unknown.status, 404, text);
      assertErrorShape(unknown, text);
    } finally {
      await server.close();
    }
  });
});

describe('mounted at a path other than basePath', () => {
  test('the 404 names basePath and the endpoint attribute, so the developer knows what to set', async () => {
    // Next.js with the route file in app/api/sendauth/[...path]/route.ts, basePath left at '/sendauth'.
    const { handler } = proxy();
    const outside = await handler(new Request(`${ORIGIN}/api/sendauth/me`));
    const text = await outside.text();
    assert.equal(outside.status, 404);
    assertErrorShape(outside, text);
    assert.deepEqual(JSON.parse(text), {
      error: {
        code: 'invalid-request',
        message:
          'No such endpoint: GET /api/sendauth/me (this proxy serves /sendauth/…; mounted elsewhere, give createSendAuthProxy that path as basePath, and the elements the same endpoint attribute)',
      },
    });
    // Inside basePath an unknown endpoint is just that.
    const inside = await handler(new Request(`${ORIGIN}/sendauth/nothing`));
    assert.deepEqual(await readJson(inside), { error: { code: 'invalid-request', message: 'No such endpoint: GET /sendauth/nothing' } });
  });
});

describe('Hono', () => {
  test('app.all("/sendauth/*", c => handler(c.req.raw)): a full sign-in works with app.request', async () => {
    const { handler, verified } = proxy();
    const app = new Hono();
    app.get('/', (c) => c.text('home'));
    app.all('/sendauth/*', (c) => handler(c.req.raw));
    const send = async (path: string, body: unknown): Promise<Response> =>
      app.request(`${ORIGIN}/sendauth/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify(body),
      });
    const { user, start, answer } = await signInThrough(send, ORIGIN);
    assert.equal(answer.status, 200);
    assert.deepEqual(await readJson<VerifyResult>(answer), { state: 'verified', kind: 'authentication', userId: user.id });
    assert.deepEqual(answer.headers.getSetCookie(), [`sid=${user.id}; Path=/; HttpOnly`, 'signed_in=1; Path=/']);
    assert.deepEqual(verified.map((e) => [e.userId, e.tx]), [[user.id, start.tx]]);

    assert.deepEqual(await readJson(await app.request(`${ORIGIN}/sendauth/tx/${start.tx}`)), { state: 'verified' });
    assert.equal(await (await app.request(`${ORIGIN}/`)).text(), 'home');
    const wrong = await app.request(`${ORIGIN}/sendauth/authenticate`);
    assert.equal(wrong.status, 405);
    assert.equal((await readJson<ErrorBody>(wrong)).error.code, 'invalid-request');
  });

  test('a start through Hono answers TX and options in one round trip', async () => {
    const { handler } = proxy();
    const app = new Hono().basePath('/sendauth');
    app.all('/*', (c) => handler(c.req.raw, { clientIp: '10.7.7.7' }));
    const user = await createUserWithPasskey(client);
    const answer = await app.request(`${ORIGIN}/sendauth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ userId: user.id }),
    });
    const start = await readJson<CeremonyStart>(answer);
    assert.equal(answer.status, 201);
    assert.equal(start.kind, 'authentication');
    assert.equal((await client.checkTransaction(start.tx)).state, 'pending');
  });
});
