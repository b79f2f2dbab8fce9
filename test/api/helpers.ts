/** Shared by the `test/api` tests: error assertions, a fake SendAuth on a random port. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { isSendAuthError, type SendAuthError } from '../../src/api/index.js';
import type { ErrorCode } from '../../src/error-codes.js';

export const USERNAME = 'api-user';
/** Distinctive, so a leak is easy to spot in any text. */
export const PASSWORD = `pw-${randomUUID()}`;
const TOKEN = Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64');

/** Fails if the password (or the basic-auth token) shows up in any way an error gets printed or logged. */
export function assertNoSecrets(error: unknown, password = PASSWORD): void {
  const token = Buffer.from(`${USERNAME}:${password}`).toString('base64');
  const views = [JSON.stringify(error), String(error), (error as Error).stack ?? '', inspect(error, { depth: 10 })];
  for (const view of views) {
    assert.ok(!view.includes(password), `password leaked into: ${view}`);
    assert.ok(!view.includes(token) && !view.includes(TOKEN), `basic-auth token leaked into: ${view}`);
  }
}

export interface Expected {
  code: ErrorCode;
  status: number;
  operation?: string;
  message?: RegExp;
}

/** Awaits a rejection that is a `SendAuthError` like `expected`, with no secrets in it; returns it. */
export async function rejectsWith(promise: Promise<unknown>, expected: Expected, password?: string): Promise<SendAuthError> {
  const error: unknown = await promise.then(
    (value) => assert.fail(`expected ${expected.code}, resolved with ${JSON.stringify(value)}`),
    (reason: unknown) => reason,
  );
  assert.ok(isSendAuthError(error), `not a SendAuthError: ${inspect(error)}`);
  assert.deepEqual(
    { code: error.code, status: error.status },
    { code: expected.code, status: expected.status },
    `unexpected error: ${error.message}`,
  );
  if (expected.operation) assert.equal(error.operation, expected.operation);
  if (expected.message) assert.match(error.message, expected.message);
  assertNoSecrets(error, password);
  return error;
}

export interface FakeRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

export type FakeHandler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A tiny stand-in for SendAuth on 127.0.0.1:<random>, recording every request. */
export async function startFakeSendAuth(handler: FakeHandler) {
  const requests: FakeRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export const EXPECTED_TOKEN = `Basic ${TOKEN}`;
