/**
 * The person on their own device, for server-side tests: reads the TX's
 * notification from the emulator's outbox and answers it on the respond page's
 * endpoints, as the page's script does (its origin, the link's secret), with a
 * soft authenticator (a real assertion or attestation, verified by the emulator).
 */
import assert from 'node:assert/strict';
import type { OutboxEntry } from '../../src/emulator/outbox.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '../../src/types.js';
import type { SoftAuthenticator } from './soft-authenticator.js';

/** The TX's notification in the outbox (there is exactly one). */
export async function notificationOf(emu: Pick<RunningEmulator, 'url'>, tx: string): Promise<OutboxEntry> {
  const response = await fetch(`${emu.url}/outbox.json`);
  assert.equal(response.status, 200);
  const entries = ((await response.json()) as OutboxEntry[]).filter((entry) => entry.tx === tx.toLowerCase());
  assert.equal(entries.length, 1, `one notification for TX ${tx}`);
  return entries[0]!;
}

/** A call of the respond page's script: JSON from the page's own origin with the link's secret. */
async function respond<T>(emu: Pick<RunningEmulator, 'url'>, entry: OutboxEntry, action: 'options' | 'response' | 'deny', body: object = {}): Promise<{ status: number; body: T }> {
  const link = new URL(entry.link);
  const response = await fetch(`${emu.url}/respond/${entry.tx}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: link.origin, 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ secret: link.searchParams.get('secret'), ...body }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * Approves the TX on the respond page: the authenticator signs in (authentication TX) or creates
 * the passkey (registration TX) on the page's origin. Returns the notification.
 */
export async function approveOnDevice(emu: Pick<RunningEmulator, 'url'>, tx: string, authenticator: SoftAuthenticator): Promise<OutboxEntry> {
  const entry = await notificationOf(emu, tx);
  const origin = new URL(entry.link).origin;
  const options = await respond<{ kind: string; options: PublicKeyCredentialCreationOptionsJSON | PublicKeyCredentialRequestOptionsJSON }>(emu, entry, 'options');
  assert.equal(options.status, 200, JSON.stringify(options.body));
  const response =
    options.body.kind === 'registration'
      ? await authenticator.register(options.body.options as PublicKeyCredentialCreationOptionsJSON, { origin })
      : await authenticator.authenticate(options.body.options as PublicKeyCredentialRequestOptionsJSON, { origin });
  const done = await respond<{ state: string }>(emu, entry, 'response', { response });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.state, 'verified');
  return entry;
}

/** Denies the TX on the respond page. */
export async function denyOnDevice(emu: Pick<RunningEmulator, 'url'>, tx: string): Promise<void> {
  const entry = await notificationOf(emu, tx);
  const denied = await respond<{ state: string }>(emu, entry, 'deny');
  assert.equal(denied.status, 200, JSON.stringify(denied.body));
}
