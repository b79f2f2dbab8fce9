/**
 * Attack: a site mounts the proxy behind `express.json()` (the README says it
 * works), and a visitor posts JSON nested a few thousand levels deep, well
 * under every body limit. `express.json()` parses it; the proxy then could not
 * serialise what the parser left (`JSON.stringify` runs out of stack) and took
 * that for the site's misconfiguration: a 500 `upstream` to the visitor and an
 * `onError` report telling the site to move its body parser. Any visitor could
 * raise that false alarm at will, the kind issue 10 §5 closed for the proxy's
 * own body reading.
 *
 * Now a parsed body nested deeper than the proxy takes is the visitor's bad
 * input, as it is without a parser in front: 400 `invalid-request`, naming
 * the nesting, nothing reported.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import express from 'express';
import { toNodeListener } from '../../src/proxy/index.js';
import { MAX_JSON_DEPTH } from '../../src/proxy/validate.js';
import { client, createUserWithPasskey, expectError, expectStart, listenLocal, proxyFactory, useEmulator } from '../support/proxy-fixture.js';

useEmulator();

test('behind express.json(), JSON nested thousands of levels deep is the visitor’s 400, never a 500 and a misconfiguration report', async () => {
  const site = proxyFactory()({ allowSignup: true });
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.use('/sendauth', toNodeListener(site.handler));
  const server = await listenLocal(createServer(app));
  const origin = `http://localhost:${server.port}`;
  const post = (path: string, body: string) =>
    fetch(`${origin}/sendauth/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body });
  try {
    const user = await createUserWithPasskey(client);
    const start = await expectStart(await post('authenticate', JSON.stringify({ username: user.email })), 'authentication');
    for (const depth of [MAX_JSON_DEPTH + 1, 5_000, 10_000]) {
      const arrays = '['.repeat(depth) + ']'.repeat(depth);
      const inObject = `{"username":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const extensions = `{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{},"clientExtensionResults":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      for (const [path, body] of [
        ['authenticate', arrays],
        ['authenticate', inObject],
        ['signup', arrays],
        [`tx/${start.tx}/verify`, extensions],
      ] as const) {
        assert.ok(body.length < 65_536, 'under the proxy’s body cap (a bigger one is a 413, rightly)');
        const error = await expectError(await post(path, body), 400, 'invalid-request');
        assert.match(error.error.message, /nested more than 16 levels/, `${path} at depth ${depth}`);
      }
    }
    assert.deepEqual(site.errors, [], 'nothing reported: a visitor’s body is not the site’s setup');
    // The TX the deep bodies were aimed at still signs in.
    const response = await user.authenticator.authenticate(start.options, { origin });
    const verified = await post(`tx/${start.tx}/verify`, JSON.stringify(response));
    assert.equal(verified.status, 200);
  } finally {
    await server.close();
  }
});
