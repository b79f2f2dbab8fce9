/**
 * Shared by the `test/proxy/security-*` tests, one file per Security rule of
 * DESIGN.md and issue 3: the running emulator and a client for it, a proxy
 * that records what it reported, ceremony starts, and a SendAuth that would
 * accept anything (for the rules that must hold even if SendAuth were
 * lenient).
 *
 * Each test file calls `useSecurityEmulator()` at its top level, so each
 * starts and closes its own emulator; `emu` and `client` are live bindings,
 * set once that file's `before` has run.
 */
import { after, before } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { SendAuthClient } from '../../src/api/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { createSendAuthProxy, type SendAuthProxyOptions, type VerifiedEvent } from '../../src/proxy/index.js';
import type { CeremonyResult, TransactionStatus } from '../../src/types.js';
import {
  API_PASSWORD,
  API_USERNAME,
  apiClient,
  call,
  expectStart,
  sessionFromHeader,
  startTestEmulator,
  type TestUser,
} from './proxy-fixture.js';

export let emu: RunningEmulator;
export let client: SendAuthClient;

/** Starts an emulator before the calling file's tests and closes it after them. */
export function useSecurityEmulator(): void {
  before(async () => {
    emu = await startTestEmulator();
    client = apiClient(emu);
  });
  after(() => emu.close());
}

/** A proxy with the test session, recording onVerified and onError. */
export function setup(options: Partial<SendAuthProxyOptions> = {}) {
  const verified: VerifiedEvent[] = [];
  const errors: unknown[] = [];
  const handler = createSendAuthProxy({
    sendauth: client,
    getSessionUserId: sessionFromHeader,
    onVerified: (event) => {
      verified.push(event);
      return { 'Set-Cookie': `sid=${event.userId}; HttpOnly` };
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  return { handler, verified, errors };
}

export type Handler = ReturnType<typeof setup>['handler'];

export async function startAuthentication(handler: Handler, user: TestUser) {
  const start = await expectStart(await call(handler, '/authenticate', { body: { userId: user.id } }), 'authentication');
  if (start.kind !== 'authentication') throw new Error('unreachable');
  return start;
}

export async function startRegistration(handler: Handler, user: TestUser) {
  const start = await expectStart(await call(handler, '/register', { body: {}, session: user.id }), 'registration');
  if (start.kind !== 'registration') throw new Error('unreachable');
  return start;
}

export async function stateAtSendAuth(tx: string): Promise<string> {
  return (await client.checkTransaction(tx)).state;
}

/** A SendAuth that would accept anything: shows what the proxy itself refuses. */
export class LenientSendAuth extends SendAuthClient {
  completed = 0;
  override async completeCeremony(): Promise<CeremonyResult> {
    this.completed += 1;
    await delay(30);
    return { state: 'verified' };
  }
  override async checkTransaction(): Promise<TransactionStatus> {
    return { state: 'verified' };
  }
}

export function lenientClient(): LenientSendAuth {
  return new LenientSendAuth({ baseUrl: emu.url, username: API_USERNAME, password: API_PASSWORD });
}
