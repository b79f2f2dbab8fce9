/**
 * Browser-side helpers for the approval tests: users of the public-spec
 * emulator, the person's other device answering a notification, and what the
 * approval proxies did. Each wraps a command of `approval-stack-plugin.ts`.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { OutboxEntry } from '../../../src/emulator/outbox.js';
import type { User } from '../../../src/types.js';
import { APPROVAL_ENDPOINTS, type ConfirmPayload, type CreatedUser, type RespondPayload, type VerifiedEventRecord } from './protocol.js';

export { APPROVAL_ENDPOINTS };

/** A user of the approval emulator (no passkey yet). */
export function createApprovalUser(): Promise<CreatedUser> {
  return executeServerCommand<CreatedUser, Record<string, never>>('approval:create-user', {});
}

/**
 * The person opens the TX's link on their other device (a browser context of its own with its own
 * authenticator, `device`) and presses Approve or Deny; resolves with the state the page ends in.
 */
export async function respondOnDevice(tx: string, action: RespondPayload['action'], device = 'phone'): Promise<string> {
  return (await executeServerCommand<{ state: string }, RespondPayload>('approval:respond', { tx, action, device })).state;
}

/**
 * Starts the browser the person's devices open in (Chromium, for the whole run), if it is not
 * running yet: for a `before` hook with a long timeout, so that no test's own limit pays for it.
 */
export async function startDevices(): Promise<void> {
  await executeServerCommand<unknown, undefined>('approval:start-devices');
}

/** Closes every device (their authenticators and passkeys go with them). */
export async function forgetDevices(): Promise<void> {
  await executeServerCommand<unknown, undefined>('approval:forget-devices');
}

/** The SendAuth requests an approval proxy made (`METHOD /path/:id`); `clear` starts a new count. */
export function sendAuthRequests(endpoint: string, clear = false): Promise<string[]> {
  return executeServerCommand<string[], { endpoint: string; clear: boolean }>('approval:sendauth-requests', { endpoint, clear });
}

/** `proxy.confirmApproval` of the approval proxy at `endpoint`. */
export async function confirmApproval(payload: ConfirmPayload): Promise<boolean> {
  return (await executeServerCommand<{ confirmed: boolean }, ConfirmPayload>('approval:confirm', payload)).confirmed;
}

export function approvalVerifiedEvents(tx?: string): Promise<VerifiedEventRecord[]> {
  return executeServerCommand<VerifiedEventRecord[], { tx?: string }>('approval:verified-events', tx === undefined ? {} : { tx });
}

export function approvalOutbox(): Promise<OutboxEntry[]> {
  return executeServerCommand<OutboxEntry[], undefined>('approval:outbox');
}

export function getApprovalUser(userId: string): Promise<User> {
  return executeServerCommand<User, { userId: string }>('approval:user', { userId });
}

/** Moves the approval emulator's clock (its TXs expire after five minutes of it). */
export async function advanceApprovalClock(ms: number): Promise<void> {
  await executeServerCommand<unknown, { ms: number }>('approval:advance-clock', { ms });
}

export async function resetApprovalClock(): Promise<void> {
  await executeServerCommand<unknown, undefined>('approval:reset-clock');
}
