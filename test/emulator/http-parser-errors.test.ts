/**
 * Requests Node's HTTP parser refuses before the app sees them still get the
 * emulator's JSON error shape (`{ error }`), with the status Node chose, over
 * a raw TCP socket (no HTTP client would send these).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientErrorResponse } from '../../src/emulator/client-error.js';
import { basicAuth, startTestEmulator, TEST_PASSWORD, TEST_USERNAME, type TestEmulator } from '../support/emulator-fixture.js';
import { rawExchange, type RawExchange } from '../support/raw-http.js';

let t: TestEmulator;
let auth: string;
before(async () => {
  t = await startTestEmulator();
  auth = basicAuth(TEST_USERNAME, TEST_PASSWORD);
});
after(() => t.close());

function assertJsonErrorAnswer(answer: RawExchange, status: number, pattern: RegExp): void {
  assert.equal(answer.status, status, JSON.stringify(answer));
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(answer.headers.connection, 'close');
  const body = JSON.parse(answer.body) as { error?: unknown };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(typeof body.error, 'string');
  assert.match(body.error as string, pattern);
}

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

describe("requests Node's HTTP parser refuses", () => {
  it('a 17 KB cookie → 431 with a JSON error', async () => {
    const answer = await rawExchange(t.url, head(['GET /api/v1/users HTTP/1.1', 'Host: localhost', `Authorization: ${auth}`, `Cookie: session=${'a'.repeat(17 * 1024)}`]));
    assertJsonErrorAnswer(answer, 431, /header fields too large/i);
  });

  it('an invalid header name → 400 with a JSON error', async () => {
    for (const bad of ['Bad Header: 1', 'Bad\u0001Header: 1', '(x): 1', ': no name']) {
      const answer = await rawExchange(t.url, head(['GET /api/v1/users HTTP/1.1', 'Host: localhost', `Authorization: ${auth}`, bad]));
      assertJsonErrorAnswer(answer, 400, /^Bad request: not valid HTTP\/1\.1 \(.+\)$/);
    }
  });

  it('raw non-ASCII (UTF-8 bytes) or a control character in the request target → 400 with a JSON error', async () => {
    const target = Buffer.concat([Buffer.from('GET /api/v1/users?q=j'), Buffer.from('ö', 'utf8'), Buffer.from('rg HTTP/1.1\r\n')]);
    const answer = await rawExchange(t.url, Buffer.concat([target, Buffer.from(`Host: localhost\r\nAuthorization: ${auth}\r\n\r\n`)]));
    assertJsonErrorAnswer(answer, 400, /invalid char in url/i);
    const control = await rawExchange(t.url, head(['GET /api/v1/\u0007users HTTP/1.1', 'Host: localhost']));
    assertJsonErrorAnswer(control, 400, /^Bad request/);
  });

  it('broken framing, an unknown method, a non-HTTP line → 400 with a JSON error', async () => {
    for (const request of [
      head(['POST /api/v1/users HTTP/1.1', 'Host: localhost', 'Content-Length: 2', 'Content-Length: 3']) + '{}',
      head(['POST /api/v1/users HTTP/1.1', 'Host: localhost', 'Content-Length: -1']),
      head(['POST /api/v1/users HTTP/1.1', 'Host: localhost', 'Transfer-Encoding: chunked', 'Content-Length: 2']) + 'zz\r\n',
      head(['BREW /api/v1/users HTTP/1.1', 'Host: localhost']),
      head(['hello there']),
    ]) {
      const answer = await rawExchange(t.url, request);
      assertJsonErrorAnswer(answer, 400, /^Bad request/);
    }
  });

  it('a request that took too long gets 408 in the same shape (the answer Node would send, with a body)', () => {
    const raw = clientErrorResponse(Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }));
    const [headText = '', body = ''] = raw.split('\r\n\r\n');
    assert.match(headText, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.match(headText, new RegExp(`\r\nContent-Length: ${Buffer.byteLength(body)}(\r\n|$)`));
    assert.equal(typeof (JSON.parse(body) as { error?: unknown }).error, 'string');
  });

  it('keeps serving: a normal request over a raw socket and over fetch still succeeds', async () => {
    const answer = await rawExchange(t.url, head(['GET /api/v1/users?perPage=1 HTTP/1.1', 'Host: localhost', `Authorization: ${auth}`, 'Connection: close']));
    assert.equal(answer.status, 200, answer.body);
    assert.equal((JSON.parse(answer.body) as { total: number }).total, 1);
    assert.equal((await t.request('GET', '/api/v1/users')).status, 200);
  });
});
