/**
 * What an element shows while the user approves on their own device: the
 * code and the time left in the button's place (a timer: read on demand, not
 * announced every second), and what the polite live region says (where the
 * request went and the code, then the minutes left, once a minute).
 */
import { html, type TemplateResult } from 'lit';
import type { ApprovalStart } from '../wire.js';
import type { SendAuthStrings } from './strings.js';

/** `template` with `{time}` as the time left, m:ss (0:42, 9:59). */
export function fill(template: string, ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return template.replace('{time}', `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`);
}

/** Whole seconds until the approval's `expiresAt`, never below zero. */
function secondsLeft({ expiresAt }: ApprovalStart): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000));
}

export function renderWaiting(approval: ApprovalStart, strings: SendAuthStrings): TemplateResult {
  return html`<div part="waiting"><span part="code">${approval.code}</span><span part="timer" role="timer">${fill(strings.timeLeft, secondsLeft(approval) * 1000)}</span></div>`;
}

export function waitingStatus(approval: ApprovalStart, strings: SendAuthStrings): TemplateResult {
  const { kind, sentTo, code } = approval;
  const sent = (kind === 'registration' ? strings.waitingLink : strings.waitingSent)
    .replace('{to}', sentTo.join(', ') || strings.waitingSomewhere)
    .replace('{code}', code);
  // Whole minutes, so the live region speaks once a minute, not every second.
  return html`${sent} <span class="sr">${strings.minutesLeft.replace('{n}', String(Math.ceil(secondsLeft(approval) / 60)))}</span>`;
}
