/**
 * The events both elements fire. All bubble and are composed, so a listener
 * on `document` hears them through shadow roots.
 */
import type { ErrorCode } from '../error-codes.js';
import type { CeremonyKind } from '../types.js';

/**
 * idle → starting → ceremony | waiting → verifying → success | error; `cancel()` goes back to idle.
 * `ceremony`: the browser's passkey prompt is open; `waiting`: the user approves on their own device.
 */
export type CeremonyState = 'idle' | 'starting' | 'ceremony' | 'waiting' | 'verifying' | 'success' | 'error';

export interface SendAuthSuccessDetail {
  /** `approval` for `<sendauth-approve>` (a step-up: no session opened; the site confirms it with `confirmApproval`). */
  kind: CeremonyKind | 'approval';
  /** The verified SendAuth transaction. */
  tx: string;
  /** The SendAuth user who signed in or registered. */
  userId: string;
}

export interface SendAuthErrorDetail {
  code: ErrorCode;
  /** The readable, localized message the element shows. */
  message: string;
  /** Whether pressing the button again can succeed without the site changing anything (the error registry, `error-codes.ts`). */
  retryable: boolean;
}

export type SendAuthCancelDetail = Record<string, never>;

export interface SendAuthStateDetail {
  state: CeremonyState;
}

export type SendAuthSuccessEvent = CustomEvent<SendAuthSuccessDetail>;
export type SendAuthErrorEvent = CustomEvent<SendAuthErrorDetail>;
export type SendAuthCancelEvent = CustomEvent<SendAuthCancelDetail>;
export type SendAuthStateEvent = CustomEvent<SendAuthStateDetail>;

export interface SendAuthEventMap {
  'sendauth-success': SendAuthSuccessEvent;
  'sendauth-error': SendAuthErrorEvent;
  'sendauth-cancel': SendAuthCancelEvent;
  'sendauth-state': SendAuthStateEvent;
}

declare global {
  interface GlobalEventHandlersEventMap extends SendAuthEventMap {}
}

/** Fires one of the events above on `target`, bubbling and composed. */
export function emit<K extends keyof SendAuthEventMap>(
  target: EventTarget,
  type: K,
  detail: SendAuthEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
