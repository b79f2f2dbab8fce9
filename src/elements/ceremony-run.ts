/**
 * What an element tells its flow (`CeremonyFlowController`) to run, and how the flow reports
 * back: the run as data, the element owning none of how it is done.
 */
import type { ErrorCode } from '../error-codes.js';
import type { ApproveRequest, AuthenticateRequest, RegisterRequest, SignupRequest } from '../wire.js';
import type { CeremonyState, SendAuthSuccessDetail } from './events.js';

/**
 * The one request that starts a run, as data: which wire endpoint and with what body. The flow
 * sends it (and owns the client that does), adding `mode: "approval"` when approval is asked for.
 */
export type StartRequest =
  | { endpoint: 'authenticate'; body: AuthenticateRequest }
  | { endpoint: 'register'; body?: RegisterRequest }
  | { endpoint: 'signup'; body: SignupRequest }
  | { endpoint: 'approve'; body: ApproveRequest };

/** What the element tells its flow when it starts one. */
export interface CeremonyRun {
  /** Where the site mounted the proxy (the element's `endpoint`). */
  proxy: string;
  /**
   * What starts the ceremony. Not aborted with the run (the proxy may create the TX anyway):
   * a TX answered after the run stopped is cancelled.
   */
  start: StartRequest;
  /** The client-side deadline in ms: a run that has not reached `waiting` or settled by then ends with `timeout`. */
  timeoutMs: number;
  /** Ask for approval on the user's own device (`mode: "approval"`), as "Use another device" and "Send again" do. */
  approval?: boolean;
}

/** How the flow reports back; the element turns these into events and UI. */
export interface CeremonyFlowCallbacks {
  stateChanged(state: CeremonyState): void;
  succeeded(detail: SendAuthSuccessDetail): void;
  /** `retryAfterMs`: how long the proxy asked to wait first (a 429's `Retry-After`), when it said. */
  failed(code: ErrorCode, retryAfterMs?: number): void;
  cancelled(): void;
  /** The page came back from the back/forward cache: the element should look fresh, not show the last visit's outcome. */
  restored(): void;
}
