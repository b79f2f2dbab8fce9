/**
 * The words an element shows for where its flow is: the polite live region's
 * text (progress, the wait a 429 asked for, the approval being waited on,
 * success, cancelled) and the error message for a code.
 */
import type { ErrorCode } from '../error-codes.js';
import type { CeremonyFlowController } from './ceremony-flow-controller.js';
import type { CountdownController } from './countdown-controller.js';
import type { SendAuthStrings } from './strings.js';
import { fill, waitingStatus } from './waiting-view.js';

/** The live region's text for `flow` now; `successText` is the element's own (signed in, ready, approved). */
export function statusText(flow: CeremonyFlowController, wait: CountdownController, strings: SendAuthStrings, successText: string): unknown {
  const approval = flow.waiting;
  if (approval) return waitingStatus(approval, strings);
  const waitMs = wait.remainingMs;
  if (waitMs) return fill(strings.retryIn, waitMs);
  if (flow.error === 'rate-limited' && wait.until) return strings.retryNow;
  switch (flow.state) {
    case 'starting':
      return strings.statusStarting;
    case 'ceremony':
      return strings.statusCeremony;
    case 'verifying':
      return strings.statusVerifying;
    case 'success':
      return successText;
    case 'idle':
      return flow.cancelled ? strings.statusCancelled : '';
    case 'error':
      return '';
  }
}

/** What the element shows for `code`: on a page opened by IP address, `rp-mismatch` says to use localhost. */
export function errorText(code: ErrorCode, strings: SendAuthStrings): string {
  return code === 'rp-mismatch' && /^[\d.]+$|:/.test(location.hostname) ? strings.rpMismatchIp : strings.errors[code];
}
