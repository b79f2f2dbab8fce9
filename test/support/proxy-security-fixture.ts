/**
 * Shared by the `test/proxy/security-*` tests, one file per Security rule of
 * DESIGN.md and issue 3, on top of `proxy-fixture.ts`: its emulator (each
 * file calls `useEmulator()`, re-exported here with `emu` and `client`), the
 * proxy they all use, ceremony starts, and a SendAuth that would accept
 * anything (for the rules that must hold even if SendAuth were lenient).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SendAuthClient } from '../../src/api/index.js';
import type { SendAuthProxyHandler } from '../../src/proxy/index.js';
import type { CeremonyResult, TransactionStatus } from '../../src/types.js';
import { API_PASSWORD, API_USERNAME, call, client, emu, expectStart, proxyFactory, type TestUser } from './proxy-fixture.js';

export { client, emu, useEmulator } from './proxy-fixture.js';

/** A proxy with the test session whose `onVerified` sets `sid`, recording onVerified and onError. */
export const setup = proxyFactory((event) => ({ 'Set-Cookie': `sid=${event.userId}; HttpOnly` }));

export type Handler = SendAuthProxyHandler;

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
