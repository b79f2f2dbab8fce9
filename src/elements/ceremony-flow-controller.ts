import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { checkCeremonySupport, isCeremonyPreempted, performAuthentication, performRegistration } from '../ceremony/index.js';
import { ProxyClient, type ProxyError } from '../client/index.js';
import type { ErrorCode } from '../error-codes.js';
import type { CeremonyKind, CeremonyResponse } from '../types.js';
import type { ApprovalStart, CompleteResult } from '../wire.js';
import { awaitApproval, releaseTx, send, settle, toErrorCode } from './ceremony-flow-steps.js';
import type { CeremonyFlowCallbacks, CeremonyRun } from './ceremony-run.js';
import type { CeremonyState } from './events.js';

export type { CeremonyFlowCallbacks, CeremonyRun, StartRequest } from './ceremony-run.js';

interface ActiveRun {
  abort: AbortController;
  client: ProxyClient;
  /** Set once the proxy answered the start, even after the run stopped. */
  tx: string | undefined;
  /** The start's proof, which cancelling the TX needs; set with `tx`. */
  proof: string | undefined;
}

const DEADLINE = 'TimeoutError';

/**
 * Runs one ceremony at a time for its element: start (one request to the
 * proxy) → WebAuthn → verify, or, when the proxy answers `mode: "approval"`,
 * start → waiting (the user approves on their own device; the flow follows the
 * TX and ticks once a second for the countdown) → complete. Owns the AbortController, the busy guard and the
 * client-side deadline. `cancel()`, removing the element and leaving the page
 * (`pagehide`: a link, a closed tab) abort the run and let the proxy drop the
 * TX (with `keepalive`, so it outlives the page); each says so (`stateChanged`
 * to idle, `cancelled`), and a run that was stopped reports nothing more.
 * Moving the element (`append` elsewhere, `moveBefore`, into a `<dialog>`)
 * connects it again at once: its run goes on. Another ceremony on the page
 * (another element's) aborts this one's prompt: that ends the run as a
 * cancel, not an error.
 */
export class CeremonyFlowController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #callbacks: CeremonyFlowCallbacks;
  #active: ActiveRun | undefined;
  #currentState: CeremonyState = 'idle';
  #lastError: ErrorCode | undefined;
  #wasCancelled = false;
  #approval: ApprovalStart | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, callbacks: CeremonyFlowCallbacks) {
    this.#host = host;
    this.#callbacks = callbacks;
    host.addController(this);
  }

  get state(): CeremonyState {
    return this.#currentState;
  }

  /** The code of the last failure, while the state is `error`. */
  get error(): ErrorCode | undefined {
    return this.#currentState === 'error' ? this.#lastError : undefined;
  }

  get busy(): boolean {
    return this.#active !== undefined;
  }

  /** Whether `cancel()` ended the last run (shown as "Cancelled." until the next start or reset). */
  get cancelled(): boolean {
    return this.#currentState === 'idle' && this.#wasCancelled;
  }

  /** The approval being waited for (what the element shows), while the state is `waiting`. */
  get waiting(): ApprovalStart | undefined {
    return this.#currentState === 'waiting' ? this.#approval : undefined;
  }

  /** Whether the last approval was denied or expired: the button then offers to send it again. */
  get resend(): boolean {
    return !!this.#approval && (this.error === 'tx-denied' || this.error === 'tx-expired');
  }

  hostConnected(): void {
    addEventListener('pagehide', this);
    addEventListener('pageshow', this);
  }

  /** Removing the element ends its run as a cancel; a move (disconnected and connected in one go) does not. */
  hostDisconnected(): void {
    removeEventListener('pagehide', this);
    removeEventListener('pageshow', this);
    if (this.#active) queueMicrotask(() => this.#host.isConnected || this.#abandon());
  }

  /**
   * `pagehide` (a link, a closed tab): the run is cancelled and its TX released now, not left
   * pending for its lifetime. `pageshow` from the back/forward cache: `restored`.
   */
  handleEvent(event: PageTransitionEvent): void {
    if (event.type === 'pagehide') this.cancel();
    else if (event.persisted) this.#callbacks.restored();
  }

  /** Starts a run unless one is going (then does nothing). Never rejects; resolves when the run ends. */
  async run(request: CeremonyRun): Promise<void> {
    if (this.#active) return;
    this.#wasCancelled = false;
    this.#approval = undefined;
    // Without WebAuthn only an approval on the user's own device can work, and only one asked for
    // ("Use another device", "Send again", a step-up): anything else fails here, with no request.
    const approval = !!request.approval || request.start.endpoint === 'approve';
    const unsupported = checkCeremonySupport();
    if (unsupported === 'insecure-context' || (unsupported && !approval)) {
      this.#fail(unsupported);
      return;
    }

    const kind: CeremonyKind = request.start.endpoint === 'register' || request.start.endpoint === 'signup' ? 'registration' : 'authentication';
    const run: ActiveRun = { abort: new AbortController(), client: new ProxyClient({ endpoint: request.proxy }), tx: undefined, proof: undefined };
    this.#active = run;
    const { signal } = run.abort;
    const deadline = setTimeout(
      () => run.abort.abort(new DOMException('Too slow.', DEADLINE)),
      request.timeoutMs,
    );
    let phase: 'proxy' | 'ceremony' = 'proxy';
    let ticker: ReturnType<typeof setInterval> | undefined;
    let waiting = false;
    try {
      this.#setState('starting');
      signal.throwIfAborted(); // a `starting` listener cancelled: no request, no TX
      const starting = send(run.client, request.start, !!request.approval).then((start) => {
        run.tx = start.tx;
        run.proof = start.proof;
        if (signal.aborted) releaseTx(run.client, run); // stopped while it was on its way: no one else will
        return start;
      });
      const start = await settle(starting, signal);

      let result: CompleteResult;
      if (start.mode === 'approval') {
        // The TX's own lifetime bounds the wait now, not the client-side deadline.
        clearTimeout(deadline);
        this.#approval = start;
        this.#setState('waiting');
        ticker = setInterval(() => this.#host.requestUpdate(), 1000);
        waiting = true;
        const state = await awaitApproval(run.client, start, signal);
        // Thrown as codes: `cancelled` ends the run as a cancel, the others as their error.
        if (state !== 'verified') throw state === 'cancelled' ? state : state === 'denied' ? 'tx-denied' : 'tx-expired';
        waiting = false;
        this.#setState('verifying');
        result = await settle(run.client.complete(start.tx, start.proof, signal), signal);
      } else {
        if (unsupported) throw unsupported;
        phase = 'ceremony';
        this.#setState('ceremony');
        const response: CeremonyResponse =
          start.kind === 'registration'
            ? await settle(performRegistration(start.options, { signal }), signal)
            : await settle(performAuthentication(start.options, { signal }), signal);
        phase = 'proxy';
        this.#setState('verifying');
        result = await settle(run.client.verify(start.tx, response, signal), signal);
      }

      this.#active = undefined;
      this.#setState('success');
      this.#callbacks.succeeded({ kind: result.kind, tx: start.tx, userId: result.userId });
    } catch (error) {
      // Cancelled, reset or removed: whoever did that has already moved on.
      if (this.#active !== run) return;
      this.#active = undefined;
      if (error === 'cancelled' || (phase === 'ceremony' && isCeremonyPreempted(error, signal))) {
        releaseTx(run.client, run);
        this.#setState('idle');
        this.#callbacks.cancelled();
        return;
      }
      const timedOut = signal.aborted && signal.reason instanceof DOMException && signal.reason.name === DEADLINE;
      // A wait that failed (the network, or a page being left: Firefox aborts its requests before
      // `pagehide`) leaves no TX pending on the person's device.
      if (timedOut || phase === 'ceremony' || error === unsupported || (waiting && typeof error !== 'string')) releaseTx(run.client, run);
      // A code thrown above as it is (`not-supported`, `tx-denied`, `tx-expired`). A ProxyError may
      // say how long to wait (Retry-After); other errors have no `retryAfterMs`.
      const code = timedOut ? 'timeout' : typeof error === 'string' ? (error as ErrorCode) : toErrorCode(error, phase, kind);
      this.#fail(code, (error as Partial<ProxyError> | undefined)?.retryAfterMs);
    } finally {
      clearTimeout(deadline);
      clearInterval(ticker);
    }
  }

  /**
   * Aborts the running ceremony and lets the proxy drop its TX. Returns false when nothing was
   * running, or once verifying started: the proxy may already have opened the session.
   */
  cancel(): boolean {
    return this.#currentState !== 'verifying' && this.#abandon();
  }

  /** Stops the run, whatever its phase, and says so. */
  #abandon(): boolean {
    if (!this.#stop()) return false;
    this.#wasCancelled = true;
    this.#setState('idle');
    this.#callbacks.cancelled();
    return true;
  }

  /** Back to idle: aborts a running ceremony and forgets the last error. */
  reset(): void {
    this.#stop();
    this.#lastError = undefined;
    this.#wasCancelled = false;
    this.#setState('idle');
    this.#host.requestUpdate(); // from a cancelled idle to a plain one: no state change, but no "Cancelled." either
  }

  #stop(): boolean {
    const run = this.#active;
    if (!run) return false;
    this.#active = undefined;
    run.abort.abort(new DOMException('Cancelled.', 'AbortError'));
    releaseTx(run.client, run);
    return true;
  }

  #fail(code: ErrorCode, retryAfterMs?: number): void {
    this.#lastError = code;
    this.#setState('error');
    this.#callbacks.failed(code, retryAfterMs);
  }

  #setState(state: CeremonyState): void {
    if (state === this.#currentState) return;
    this.#currentState = state;
    this.#host.requestUpdate();
    this.#callbacks.stateChanged(state);
  }
}
