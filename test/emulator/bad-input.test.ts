/**
 * A sweep of bad requests: every one gets a 4xx JSON `{ error }` (never a
 * 500, HTML or a stack trace), and the emulator keeps answering afterwards.
 */
import assert from 'node:assert/strict';
import { rawRequest } from '../support/raw-http.js';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { basicAuth, startTestEmulator, TEST_PASSWORD, TEST_USERNAME, type TestEmulator } from '../support/emulator-fixture.js';
import { assertJsonError, createUser } from './helpers.js';

let t: TestEmulator;
let userId: string;
let txId: string;
before(async () => {
  t = await startTestEmulator();
  userId = (await createUser(t)).id;
  txId = (await t.request<{ tx: string }>('POST', `/api/v1/users/${userId}/register`)).body.tx;
});
after(() => t.close());

/** Status of a raw request with a body, streamed in chunks (no Content-Length), through node:http. */
function chunkedPost(path: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, t.url);
    const req = httpRequest(url, {
      method: 'POST',
      headers: { Authorization: basicAuth(TEST_USERNAME, TEST_PASSWORD), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server may answer 413 and close before all chunks are sent.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('bad input', () => {
  it('malformed JSON and wrong body types → 400 on every operation with a body', async () => {
    const withBody: [string, string][] = [
      ['POST', '/api/v1/users'],
      ['PUT', `/api/v1/users/${userId}`],
      ['PUT', `/api/v1/users/${userId}/tags`],
      ['POST', `/api/v1/transactions/${txId}/webauthn`],
    ];
    for (const [method, path] of withBody) {
      for (const body of ['{', '{"a":}', 'undefined', "{'single':'quotes'}", '"a string"', '42', 'true', '[]']) {
        const res = await t.request(method, path, { body });
        assert.ok(res.status === 400 || res.status === 422, `${method} ${path} ${body} → ${res.status} ${res.text}`);
        assertJsonError(res, res.status);
      }
    }
  });

  it('bad UUIDs in paths → 400', async () => {
    const bad = ['not-a-uuid', '1234', `${randomUUID()}x`, '00000000-0000-0000-0000-00000000000g', "'%20OR%201=1"];
    for (const id of bad) {
      for (const [method, path] of [
        ['GET', `/api/v1/users/${id}`],
        ['PUT', `/api/v1/users/${id}`],
        ['DELETE', `/api/v1/users/${id}`],
        ['PUT', `/api/v1/users/${id}/tags`],
        ['GET', `/api/v1/users/${id}/audits`],
        ['GET', `/api/v1/users/${id}/transactions`],
        ['POST', `/api/v1/users/${id}/register`],
        ['POST', `/api/v1/users/${id}/authenticate`],
        ['DELETE', `/api/v1/users/${id}/passkey`],
        ['PUT', `/api/v1/users/deleted/${id}`],
        ['DELETE', `/api/v1/users/deleted/${id}`],
        ['GET', `/api/v1/transactions/${id}/check`],
        ['DELETE', `/api/v1/transactions/${id}/cancel`],
        ['GET', `/api/v1/transactions/${id}/webauthn`],
        ['POST', `/api/v1/transactions/${id}/webauthn`],
      ] as const) {
        const body = method === 'GET' ? undefined : { firstName: 'Valid', lastName: 'Name' };
        assertJsonError(await t.request(method, path, body === undefined ? {} : { body }), 400);
      }
    }
  });

  it('wrong methods → 405 with Allow; unknown paths → 404', async () => {
    for (const [method, path] of [
      ['DELETE', '/api/v1/users'],
      ['PATCH', `/api/v1/users/${userId}`],
      ['POST', `/api/v1/users/${userId}`],
      ['GET', `/api/v1/users/${userId}/register`],
      ['GET', `/api/v1/users/${userId}/passkey`],
      ['POST', '/api/v1/users/deleted'],
      ['PUT', `/api/v1/transactions/${txId}/webauthn`],
      ['POST', `/api/v1/transactions/${txId}/check`],
    ] as const) {
      const res = await t.request(method, path);
      assertJsonError(res, 405);
      assert.ok((res.headers.get('allow') ?? '').length > 0, `${method} ${path} has Allow`);
    }
    for (const path of ['/', '/api', '/api/v1/users/', '/api/v2/users', `/api/v1/users/${userId}/nothing`, '/api/v1/transactions', '/%E0%A4%A', '/favicon.ico']) {
      assertJsonError(await t.request('GET', path), 404);
    }
  });

  it('a request Node cannot read (a malformed Host header) → 400 JSON, and the emulator still answers', async () => {
    const answer = await rawRequest(`${t.url}/api/v1/users`, { headers: { host: 'bad host' } });
    assert.equal(answer.status, 400);
    assert.match(answer.contentType ?? '', /application\/json/);
    assert.equal(typeof (JSON.parse(answer.body) as { error?: unknown }).error, 'string');
    assert.equal((await t.request('GET', '/api/v1/users')).status, 200);
  });

  it('bodies over 100 KB → 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ firstName: 'Big', lastName: 'Body', padding: 'x'.repeat(101 * 1024) });
    assertJsonError(await t.request('POST', '/api/v1/users', { body: big }), 413);
    assertJsonError(await t.request('POST', `/api/v1/transactions/${txId}/webauthn`, { body: big }), 413);
    const chunked = await chunkedPost('/api/v1/users', [big.slice(0, 60_000), big.slice(60_000)]);
    assert.equal(chunked.status, 413);
    assert.equal(typeof (JSON.parse(chunked.body) as { error: unknown }).error, 'string');
    // Just under the limit is fine (the extra field is ignored).
    const fits = JSON.stringify({ firstName: 'Fits', lastName: 'Body', padding: 'x'.repeat(90 * 1024) });
    assert.equal((await t.request('POST', '/api/v1/users', { body: fits })).status, 201);
  });

  it('wrong query types → 400; odd but harmless queries are fine', async () => {
    for (const query of ['page=%00', 'perPage=1e2', 'page=1.0', 'page=+1', 'sortDir=ASC']) {
      assertJsonError(await t.request('GET', `/api/v1/users?${query}`), 400);
    }
    for (const query of ['q=%25%27%22', 'q=', 'unknown=1', 'q=' + 'x'.repeat(2000), 'page=99999999999999999999', 'sortBy=%00']) {
      assert.equal((await t.request('GET', `/api/v1/users?${query}`)).status, 200, query);
    }
  });

  it('still answers normally after all of that', async () => {
    const res = await t.request<{ total: number }>('GET', '/api/v1/users');
    assert.equal(res.status, 200);
    assert.ok(res.body.total >= 2);
    assert.equal((await t.request('GET', `/api/v1/transactions/${txId}/check`)).status, 200);
  });
});
