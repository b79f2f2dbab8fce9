/**
 * The demo site's own rules, over real HTTP against `startDemo` (emulator,
 * proxy, Vite): sign-out is exactly as strict as the proxy (the same answer
 * to the same request), every answer carries the security headers, unknown
 * paths are JSON 404s, and the proxy rate-limits per client IP.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createSessionCookies } from '../../demo/session.js';
import type { RunningDemo } from '../../demo/server.js';
import { startTestDemo } from './demo-stack.js';
import { RATE_LIMIT_DEFAULTS } from '../../src/proxy/rate-limit.js';
import type { ErrorBody } from '../../src/wire.js';

const SESSION_SECRET = `test-${randomUUID()}`;

let demo: RunningDemo;
let stack: Awaited<ReturnType<typeof startTestDemo>> | undefined;
/** A signed-in visitor's cookie, made with the demo's key. */
let signedIn: string;

before(async () => {
  stack = await startTestDemo({ sessionSecret: SESSION_SECRET });
  ({ demo } = stack);
  signedIn = createSessionCookies({ secret: SESSION_SECRET }).issue(randomUUID()).split(';')[0] ?? '';
});

after(() => stack?.close());

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with node:http, so every header (or its absence) and the client's own address are as given. */
function send(
  method: string,
  pathname: string,
  { headers = {}, body, localAddress }: { headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A body always with its length: Node sends a DELETE's body unframed otherwise.
    const framing = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = request(`${demo.url}${pathname}`, { method, headers: { ...framing, ...headers }, ...(localAddress ? { localAddress } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function errorOf(answer: Answer): ErrorBody['error'] {
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  const { error } = JSON.parse(answer.body) as ErrorBody;
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  return error;
}

describe('POST /logout is exactly as strict as the proxy', () => {
  const own = (): string => demo.url;
  /** The same request to sign-out and to the proxy's sign-in start: both must answer alike. */
  async function both(method: string, headers: Record<string, string>, body?: string): Promise<[Answer, Answer]> {
    const init = { headers: { cookie: signedIn, ...headers }, ...(body === undefined ? {} : { body }) };
    const logout = await send(method, '/logout', init);
    const proxy = await send(method, '/sendauth/authenticate', { ...init, body: body === undefined ? undefined : JSON.stringify({ username: 'nobody@example.com' }) });
    return [logout, proxy];
  }
  async function refusedAlike(method: string, headers: Record<string, string>, status: number, body?: string): Promise<void> {
    const [logout, proxy] = await both(method, headers, body);
    const what = `${method} with ${JSON.stringify(headers)}`;
    assert.equal(logout.status, status, `/logout, ${what}`);
    assert.equal(proxy.status, status, `the proxy, ${what}`);
    if (method !== 'HEAD') assert.deepEqual(errorOf(logout), errorOf(proxy), what);
    assert.equal(logout.headers['allow'], proxy.headers['allow'], what);
    // Refused, the visitor stays signed in.
    assert.equal(logout.headers['set-cookie'], undefined, what);
  }

  test('a body that is not JSON is 403 forbidden', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/json', 'application/json-patch+json']) {
      await refusedAlike('POST', { 'content-type': contentType, origin: own() }, 403, '{}');
    }
    await refusedAlike('POST', { origin: own() }, 403, '{}');
    const [logout] = await both('POST', { 'content-type': 'text/plain', origin: own() }, '{}');
    assert.equal(errorOf(logout).code, 'forbidden');
  });

  test('a foreign Origin is 403 forbidden', async () => {
    const { port } = demo;
    for (const origin of ['http://evil.example', 'null', `http://localhost:${port + 1}`, `https://localhost:${port}`, `http://localhost:${port}.evil.example`, `http://127.0.0.1:${port}`]) {
      await refusedAlike('POST', { 'content-type': 'application/json', origin }, 403, '{}');
    }
  });

  test('no Origin is 403 forbidden', async () => {
    await refusedAlike('POST', { 'content-type': 'application/json' }, 403, '{}');
  });

  test('another method is 405 with Allow: POST, before the CSRF check', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH']) {
      // Even from this site, as JSON: the method is wrong first.
      await refusedAlike(method, { 'content-type': 'application/json', origin: own() }, 405, method === 'GET' || method === 'HEAD' ? undefined : '{}');
      await refusedAlike(method, {}, 405);
    }
    const get = await send('GET', '/logout');
    assert.equal(get.headers['allow'], 'POST');
    assert.equal(errorOf(get).code, 'invalid-request');
  });

  test('JSON from this site signs out (any charset, any letter case), as the proxy lets it through', async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
      const [logout, proxy] = await both('POST', { 'content-type': contentType, origin: own() }, '{}');
      assert.equal(logout.status, 200, contentType);
      assert.deepEqual(JSON.parse(logout.body), { signedOut: true });
      assert.match(String(logout.headers['set-cookie']), /^demo_session=; .*Max-Age=0/);
      assert.equal(logout.headers['cache-control'], 'no-store');
      // Past the CSRF rule: the proxy answers the start itself (no passkey for this stranger).
      assert.equal(proxy.status, 404, contentType);
      assert.equal(errorOf(proxy).code, 'no-passkey');
    }
  });
});

describe('every answer carries the security headers', () => {
  const cases: ReadonlyArray<{ what: string; method?: string; path: string; status: number; headers?: Record<string, string> }> = [
    { what: 'a plain drop-in file', path: '/drop-in', status: 200 },
    { what: 'the drop-in script', path: '/drop-in.js', status: 200 },
    { what: 'a Vite page', path: '/', status: 200 },
    { what: 'a Vite page by its file name', path: '/signup.html', status: 200 },
    { what: "a Vite page's HEAD", method: 'HEAD', path: '/account', status: 200 },
    { what: 'a stylesheet through Vite', path: '/styles.css', status: 200, headers: { accept: 'text/css', 'sec-fetch-dest': 'style' } },
    { what: 'a module through Vite', path: '/pages/site.ts', status: 200 },
    { what: "Vite's HMR client", path: '/@vite/client', status: 200 },
    { what: "a Vite asset's HEAD", method: 'HEAD', path: '/@vite/client', status: 200 },
    { what: 'a public file through Vite', path: '/favicon.svg', status: 200 },
    { what: "the proxy's answer", path: '/sendauth/me', status: 401 },
    { what: "the proxy's refusal", method: 'POST', path: '/sendauth/authenticate', status: 403 },
    { what: "the site's session", path: '/session', status: 200 },
    { what: 'an unknown path', path: '/no-such-page', status: 404 },
    { what: 'a wrong method', method: 'POST', path: '/drop-in', status: 405 },
  ];

  test('CSP, nosniff and Referrer-Policy on files, pages, assets, the proxy and errors', async () => {
    for (const { what, method = 'GET', path: pathname, status, headers } of cases) {
      const answer = await send(method, pathname, { headers: headers ?? {} });
      assert.equal(answer.status, status, `${what}: ${method} ${pathname}`);
      const csp = String(answer.headers['content-security-policy']);
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
        assert.ok(csp.split('; ').includes(directive), `${what}: CSP lacks ${directive}: ${csp}`);
      }
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff', what);
      assert.equal(answer.headers['referrer-policy'], 'same-origin', what);
    }
  });

  test('HEAD of what Vite serves is answered once, headers only, with no error on the server', async (t) => {
    // Vite writes to Node's response itself; a second answer would fail there, and node-server logs that.
    const logged = t.mock.method(console, 'error', () => undefined);
    for (const pathname of ['/@vite/client', '/pages/site.ts', '/favicon.svg', '/']) {
      const [head, get] = [await send('HEAD', pathname), await send('GET', pathname)];
      assert.equal(head.status, 200, pathname);
      assert.equal(head.body, '', pathname);
      assert.equal(head.headers['content-type'], get.headers['content-type'], pathname);
      assert.equal(head.headers['x-content-type-options'], 'nosniff', pathname);
    }
    assert.deepEqual(
      logged.mock.calls.map((call) => String(call.arguments[0])),
      [],
    );
  });
});

describe('unknown paths', () => {
  test('answer a JSON 404, whatever the method', async () => {
    for (const [method, pathname] of [
      ['GET', '/no-such-page'],
      ['GET', '/no-such-page.html'],
      ['GET', '/signup/'],
      ['HEAD', '/no-such-page'],
      ['POST', '/no-such-page'],
      ['DELETE', '/account/x'],
      ['GET', '/sendauth/no-such-endpoint'],
    ] as const) {
      const answer = await send(method, pathname);
      assert.equal(answer.status, 404, `${method} ${pathname}`);
      assert.match(answer.headers['content-type'] ?? '', /^application\/json/, `${method} ${pathname}`);
      if (method !== 'HEAD') assert.equal(errorOf(answer).code, 'invalid-request');
    }
    assert.match(errorOf(await send('GET', '/no-such-page')).message, /\/no-such-page/);
  });

  test('a page is read-only: another method is 405 with Allow', async () => {
    for (const pathname of ['/', '/signup', '/drop-in', '/drop-in.js', '/session']) {
      const answer = await send('POST', pathname, { headers: { 'content-type': 'application/json', origin: demo.url }, body: '{}' });
      assert.equal(answer.status, 405, pathname);
      assert.equal(answer.headers['allow'], 'GET, HEAD', pathname);
      assert.equal(errorOf(answer).code, 'invalid-request');
    }
  });

  test('a request Node cannot read (a bad Host) is a JSON 400, and the site keeps serving', async () => {
    const answer = await send('GET', '/session', { headers: { host: 'bad host' } });
    assert.equal(answer.status, 400);
    assert.equal(errorOf(answer).code, 'invalid-request');
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
    assert.equal((await send('GET', '/session')).status, 200);
  });
});

describe('the proxy behind the site', () => {
  test("rate-limits sign-in starts per client IP: another visitor's address is not held up", async () => {
    // Loopback answers from any 127.x address; each stands for one visitor. A new email each
    // time, so only the per-IP limit (the default, 30 a minute) can refuse.
    const start = (localAddress: string): Promise<Answer> =>
      send('POST', '/sendauth/authenticate', {
        localAddress,
        headers: { 'content-type': 'application/json', origin: demo.url },
        body: JSON.stringify({ username: `${randomUUID()}@example.com` }),
      });
    for (let attempt = 1; attempt <= RATE_LIMIT_DEFAULTS.ipLimit; attempt += 1) {
      const answer = await start('127.0.0.3');
      assert.equal(answer.status, 404, `start ${attempt} from 127.0.0.3`);
      assert.equal(errorOf(answer).code, 'no-passkey');
    }
    const limited = await start('127.0.0.3');
    assert.equal(limited.status, 429);
    assert.equal(errorOf(limited).code, 'rate-limited');
    assert.match(String(limited.headers['retry-after']), /^\d+$/);

    const other = await start('127.0.0.4');
    assert.equal(other.status, 404, 'a start from another address is answered');
    assert.equal(errorOf(other).code, 'no-passkey');
    assert.equal((await start('127.0.0.3')).status, 429, 'the first address is still held up');
  });
});
