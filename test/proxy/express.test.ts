/**
 * The proxy behind Express 5's body parsers (issue 10 §2), over real
 * sockets: with `express.json()`, `express.urlencoded()`, `express.text()` or
 * `express.raw()` mounted before it, a sign-in still works (the proxy uses
 * what the parser left in `req.body`); a parser that leaves nothing usable is
 * the site's misconfiguration: a 500 and a report naming the fix through
 * `onError`, never a visitor-facing 400.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';
import express, { type RequestHandler } from 'express';
import { toNodeListener } from '../../src/proxy/index.js';
import type { VerifyResult } from '../../src/wire.js';
import { client, createUserWithPasskey, expectError, expectStart, listenLocal, proxyFactory, readJson, SESSION_HEADER, useEmulator } from '../support/proxy-fixture.js';

useEmulator();
const proxy = proxyFactory();

/** An Express 5 app with `before` mounted ahead of the proxy at /sendauth, on a real socket. */
async function expressSite(before: RequestHandler[], options: Parameters<typeof proxy>[0] = {}) {
  const recording = proxy({ allowSignup: true, ...options });
  const app = express();
  for (const middleware of before) app.use(middleware);
  app.use('/sendauth', toNodeListener(recording.handler));
  const server = await listenLocal(createServer(app));
  const origin = `http://localhost:${server.port}`;
  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${origin}/sendauth/${path}`, { method: 'POST', headers: { 'content-type': contentType, origin }, body });
  return { ...recording, server, origin, post };
}

/** A whole sign-in and a sign-up start through the site; asserts each answer. */
async function signInAndSignUp(site: Awaited<ReturnType<typeof expressSite>>): Promise<void> {
  const user = await createUserWithPasskey(client);
  const start = await expectStart(await site.post('authenticate', JSON.stringify({ username: ` ${user.email.toUpperCase()} ` })), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  const response = await user.authenticator.authenticate(start.options, { origin: site.origin });
  const verified = await site.post(`tx/${start.tx}/verify`, JSON.stringify(response));
  assert.deepEqual(await readJson<VerifyResult>(verified), { state: 'verified', kind: 'authentication', userId: user.id });
  await expectStart(
    await site.post('signup', JSON.stringify({ email: `${crypto.randomUUID()}@bücher.example`, firstName: 'Ada', lastName: 'Lovelace' })),
    'registration',
  );
  const me = await fetch(`${site.origin}/sendauth/me`, { headers: { [SESSION_HEADER]: user.id } });
  assert.equal((await readJson<{ userId: string }>(me)).userId, user.id);
}

describe('Express 5 with body parsers mounted before the proxy', () => {
  const parsers: Array<[string, RequestHandler[]]> = [
    ['express.json()', [express.json()]],
    ['express.urlencoded()', [express.urlencoded()]],
    ['express.text()', [express.text()]],
    ['express.json(), express.urlencoded() and express.text()', [express.json(), express.urlencoded(), express.text()]],
    ['express.text({ type: "*/*" }) (JSON read as a string)', [express.text({ type: '*/*' })]],
    ['express.raw({ type: "*/*" }) (JSON read as bytes)', [express.raw({ type: '*/*' })]],
  ];
  for (const [name, before] of parsers) {
    test(`${name}: a sign-in and a sign-up work, and nothing is reported`, async () => {
      const site = await expressSite(before);
      try {
        await signInAndSignUp(site);
        assert.deepEqual(site.errors, []);
      } finally {
        await site.server.close();
      }
    });
  }

  test('behind express.json(), the proxy’s own checks still hold: a body over its cap is 413, bad fields 400, no report', async () => {
    const site = await expressSite([express.json({ limit: '1mb' })]);
    try {
      await expectError(await site.post('authenticate', JSON.stringify({ username: 'x'.repeat(70_000) })), 413, 'invalid-request');
      await expectError(await site.post('authenticate', JSON.stringify({ username: 42 })), 400, 'invalid-request');
      await expectError(await site.post('authenticate', '{}', 'application/json'), 400, 'invalid-request');
      await expectError(await site.post('authenticate', '[1]'), 400, 'invalid-request');
      // A form that a site's urlencoded parser read is still a cross-site-able request: the CSRF rule refuses it.
      const form = await expressSite([express.urlencoded()]);
      try {
        await expectError(await form.post('authenticate', 'username=ada%40example.com', 'application/x-www-form-urlencoded'), 403, 'forbidden');
        assert.deepEqual(form.errors, []);
      } finally {
        await form.server.close();
      }
      assert.deepEqual(site.errors, []);
    } finally {
      await site.server.close();
    }
  });

  test('a middleware that reads the body and leaves nothing: 500, and onError names the fix; reads still work', async () => {
    const swallow: RequestHandler = (req, _res, next) => {
      req.on('data', () => undefined);
      req.on('end', () => next());
    };
    const site = await expressSite([swallow]);
    try {
      const answer = await site.post('authenticate', JSON.stringify({ username: 'ada@example.com' }));
      const { error } = await expectError(answer, 500, 'upstream');
      assert.doesNotMatch(error.message, /JSON/, 'the visitor is not told their body was wrong');
      assert.equal(site.errors.length, 1);
      assert.match(String((site.errors[0] as Error).message), /Mount the proxy before any body parser.*express\.json\(\)/);
      // A cross-origin request is the visitor's to be refused, not a report.
      const crossSite = await fetch(`${site.origin}/sendauth/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: '{}',
      });
      await expectError(crossSite, 403, 'forbidden');
      assert.equal(site.errors.length, 1);
      const user = await createUserWithPasskey(client);
      const me = await fetch(`${site.origin}/sendauth/me`, { headers: { [SESSION_HEADER]: user.id } });
      assert.equal(me.status, 200);
    } finally {
      await site.server.close();
    }
  });
});

test('node:http with a body already read into req.body by hand (as some frameworks do) works the same', async () => {
  const { handler, errors } = proxy();
  const listener = toNodeListener(handler);
  const server = await listenLocal(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
        void listener(req, res);
      });
    }),
  );
  try {
    const origin = `http://localhost:${server.port}`;
    const user = await createUserWithPasskey(client);
    const answer = await fetch(`${origin}/sendauth/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ userId: user.id }),
    });
    await expectStart(answer, 'authentication');
    assert.deepEqual(errors, []);
  } finally {
    await server.close();
  }
});
