/**
 * Credential scrubbing: the password, the `user:password` pair and the
 * basic-auth token are replaced where they stand as whole tokens, in every
 * form they travel in, and nowhere else, so a short password or one that is
 * a common substring is not revealed by the pattern of `***` it would leave.
 * Then through the real transport: what a fake SendAuth echoes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createCredentialScrubber } from '../../src/api/credential-scrubber.js';
import { SendAuthClient } from '../../src/api/index.js';
import { PASSWORD, USERNAME, rejectsWith, sendJson, startFakeSendAuth, type FakeHandler } from './helpers.js';

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('createCredentialScrubber', () => {
  test('a one-letter password: only where it stands alone', () => {
    const scrub = createCredentialScrubber('api', 'a');
    assert.equal(scrub('database on fire: a banana at a time'), 'database on fire: *** banana at *** time');
    assert.equal(scrub('Database unavailable'), 'Database unavailable');
    assert.equal(scrub('password "a" is wrong'), 'password "***" is wrong');
    assert.equal(scrub('pass=a&user=api'), 'pass=***&user=api');
  });

  test('passwords that are common substrings stay inside the words that contain them', () => {
    for (const [password, text] of [
      ['on', 'Connection refused: the session is gone'],
      ['user', 'User not found; username taken; users/… superuser'],
      ['error', 'errors: internal_error, error2'],
      ['1234', 'user 41234 has 12345 rows and id 91234a'],
      ['api', 'GET /apis/rapid-api_v1'],
    ] as const) {
      assert.equal(createCredentialScrubber('someone', password)(text), text, password);
    }
    assert.equal(createCredentialScrubber('someone', 'on')('turn it on, then on.'), 'turn it ***, then ***.');
    assert.equal(createCredentialScrubber('someone', '1234')('pin 1234 (1234)'), 'pin *** (***)');
  });

  test('the pair and the Authorization value, padded, unpadded and base64url', () => {
    const password = 'pä?ss>>~';
    const scrub = createCredentialScrubber('api-user', password);
    const token = basic('api-user', password);
    assert.equal(scrub(`got api-user:${password} in the URL`), 'got *** in the URL');
    assert.equal(scrub(`Authorization: Basic ${token}`), 'Authorization: Basic ***');
    assert.equal(scrub(`header Basic ${token.replace(/=+$/, '')}.`), 'header Basic ***.');
    assert.equal(scrub(`token=${Buffer.from(`api-user:${password}`).toString('base64url')}`), 'token=***');
    assert.equal(scrub(`not a token: X${token}`), `not a token: X${token}`, 'inside a longer base64 run it is not the token');
    assert.equal(scrub('user api-user is fine'), 'user api-user is fine', 'the username alone is not a secret');
  });

  test('JSON-escaped, percent-encoded and form-encoded forms', () => {
    const password = 'p@ss w/"q"é';
    const scrub = createCredentialScrubber('api', password);
    assert.equal(scrub(`{"password":${JSON.stringify(password)}}`), '{"password":"***"}');
    assert.equal(scrub(`https://x.test/?pw=${encodeURIComponent(password)}&z=1`), 'https://x.test/?pw=***&z=1');
    assert.equal(scrub(`body: ${new URLSearchParams({ pw: password }).toString()}`), 'body: pw=***');
    assert.equal(scrub(`http://api:${encodeURIComponent(password)}@x.test/`), 'http://***@x.test/');
    assert.equal(scrub(`raw ${password} end`), 'raw *** end');
  });

  test('edges that are not word characters need no boundary; regex characters are literal', () => {
    assert.equal(createCredentialScrubber('api', '!x!')('a!x!b'), 'a***b');
    const scrub = createCredentialScrubber('api', 'a.b*c(');
    assert.equal(scrub('axbbc( and a.b*c( here'), 'axbbc( and *** here');
    const unicode = createCredentialScrubber('api', 'pässwört');
    assert.equal(unicode('xpässwörty and pässwört'), 'xpässwörty and ***');
    assert.equal(unicode('pässwörter'), 'pässwörter');
  });
});

describe('the transport scrubs what SendAuth says, and only that', () => {
  let handler: FakeHandler = (_request, response) => sendJson(response, 500, { error: 'no handler' });
  let fake: Awaited<ReturnType<typeof startFakeSendAuth>>;
  before(async () => {
    fake = await startFakeSendAuth((request, response, body) => handler(request, response, body));
  });
  after(() => fake.close());

  const client = (password: string) => new SendAuthClient({ baseUrl: fake.url, username: USERNAME, password, retries: 0 });
  const answer = (status: number, body: unknown) => {
    handler = (_request, response) => sendJson(response, status, body);
  };

  test('password "a": SendAuth’s text and our own are quoted as they are', async () => {
    answer(400, { error: 'database at capacity' });
    const id = randomUUID();
    const error = await rejectsWith(client('a').getUser(id), { code: 'invalid-request', status: 400 });
    assert.ok(error.message.endsWith(`: GET /api/v1/users/${id} (getUser); SendAuth said: "database at capacity"`), error.message);
    assert.ok(!error.message.includes('***'));
  });

  test('password "v1" is not taken out of the path /api/v1/…', async () => {
    answer(404, { error: 'User not found' });
    const error = await rejectsWith(client('v1').getUser(randomUUID()), { code: 'user-not-found', status: 404 });
    assert.match(error.message, /GET \/api\/v1\/users\//);
  });

  test('a real leak is still scrubbed: the password, the pair, the token, encoded', async () => {
    const token = basic(USERNAME, PASSWORD);
    for (const echoed of [
      `your password ${PASSWORD} is showing`,
      `credentials ${USERNAME}:${PASSWORD} refused`,
      `Authorization: Basic ${token}`,
      `bad form body pw=${encodeURIComponent(PASSWORD)}&x=1`,
      `{"password":"${PASSWORD}"}`,
    ]) {
      answer(400, { error: echoed });
      const error = await rejectsWith(client(PASSWORD).getUser(randomUUID()), { code: 'invalid-request', status: 400 });
      assert.match(error.message, /\*\*\*/, echoed);
    }
  });

  test('a password where SendAuth’s text is cut (300 characters) is scrubbed before the cut', async () => {
    answer(400, { error: `${'x '.repeat(145)}${PASSWORD} and more` });
    const error = await rejectsWith(client(PASSWORD).getUser(randomUUID()), { code: 'invalid-request', status: 400 });
    assert.ok(!error.message.includes(PASSWORD.slice(0, 8)), error.message);
    assert.match(error.message, /x \*\*\* and mo…"$/);
  });
});
