import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  checkCeremonySupport,
  identifyCeremonyError,
  isCeremonyError,
  isCeremonyPreempted,
  performAuthentication,
  performRegistration,
} from '../ceremony/index.js';
import { isProxyError, ProxyClient } from '../client/index.js';
import type { ErrorCode } from '../error-codes.js';
import type { CeremonyKind, CeremonyResponse } from '../types.js';
import type { AuthenticateRequest, CeremonyStart, SignupRequest } from '../wire.js';
import type { CeremonyState, SendAuthSuccessDetail } from './events.js';

/**
 * The one request between the click and the WebAuthn call, as data: which wire endpoint starts
 * the ceremony and with what body. The flow sends it (and owns the client that does).
 */
export type StartRequest =
  | { endpoint: 'authenticate'; body: AuthenticateRequest }
  | { endpoint: 'register' }
  | { endpoint: 'signup'; body: SignupRequest };

/** What the element tells its flow when it starts one. */
export interface CeremonyRun {
  /** Where the site mounted the proxy (the element's `endpoint`). */
  proxy: string;
  /**
   * What starts the ceremony. Not aborted with the run (the proxy may create the TX anyway):
   * a TX answered after the run stopped is cancelled.
   */
  start: StartRequest;
  /** The client-side deadline in ms: a run that has not settled by then ends with `timeout`. */
  timeoutMs: number;
}

/** How the flow reports back; the element turns these into events and UI. */
export interface CeremonyFlowCallbacks {
  stateChanged(state: CeremonyState): void;
  succeeded(detail: SendAuthSuccessDetail): void;
  failed(code: ErrorCode): void;
  cancelled(): void;
}

interface ActiveRun {
  abort: AbortController;
  client: ProxyClient;
  /** Set once the proxy answered the start, even after the run stopped. */
  tx: string | undefined;
}

const DEADLINE = 'TimeoutError';

/**
 * Runs one ceremony at a time for its element: start (one request to the
 * proxy) → WebAuthn → verify. Owns the AbortController, the busy guard and the
 * client-side deadline. `cancel()` and removing the element abort the run and
 * let the proxy drop the TX; a run that was cancelled, reset or removed
 * reports nothing more. Another ceremony on the page (another element's)
 * aborts this one's prompt: that ends the run as a cancel, not an error.
 */
export class CeremonyFlowController implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly callbacks: CeremonyFlowCallbacks;
  private active: ActiveRun | undefined;
  private currentState: CeremonyState = 'idle';
  private lastError: ErrorCode | undefined;
  private wasCancelled = false;

  constructor(host: ReactiveControllerHost, callbacks: CeremonyFlowCallbacks) {
    this.host = host;
    this.callbacks = callbacks;
    host.addController(this);
  }

  get state(): CeremonyState {
    return this.currentState;
  }

  /** The code of the last failure, while the state is `error`. */
  get error(): ErrorCode | undefined {
    return this.currentState === 'error' ? this.lastError : undefined;
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Whether `cancel()` ended the last run (shown as "Cancelled." until the next start or reset). */
  get cancelled(): boolean {
    return this.currentState === 'idle' && this.wasCancelled;
  }

  /** Removing the element aborts its ceremony, silently: no events for an element that is gone. */
  hostDisconnected(): void {
    if (!this.stop()) return;
    this.currentState = 'idle';
    this.host.requestUpdate(); // shows idle, not a stale spinner, if it is put back
  }

  /** Starts a run unless one is going (then does nothing). Never rejects; resolves when the run ends. */
  async run(request: CeremonyRun): Promise<void> {
    if (this.active) return;
    this.wasCancelled = false;
    const unsupported = checkCeremonySupport();
    if (unsupported) {
      this.fail(unsupported);
      return;
    }

    const kind: CeremonyKind = request.start.endpoint === 'authenticate' ? 'authentication' : 'registration';
    const run: ActiveRun = { abort: new AbortController(), client: new ProxyClient({ endpoint: request.proxy }), tx: undefined };
    this.active = run;
    const { signal } = run.abort;
    const deadline = setTimeout(
      () => run.abort.abort(new DOMException('The ceremony did not settle in time.', DEADLINE)),
      request.timeoutMs,
    );
    let phase: 'proxy' | 'ceremony' = 'proxy';
    try {
      this.setState('starting');
      signal.throwIfAborted(); // a `starting` listener cancelled: no request, no TX
      const starting = send(run.client, request.start).then((start) => {
        run.tx = start.tx;
        if (signal.aborted) releaseTx(run); // stopped while it was on its way: no one else will
        return start;
      });
      const start = await settle(starting, signal);

      phase = 'ceremony';
      this.setState('ceremony');
      const response: CeremonyResponse =
        start.kind === 'registration'
          ? await settle(performRegistration(start.options, { signal }), signal)
          : await settle(performAuthentication(start.options, { signal }), signal);

      phase = 'proxy';
      this.setState('verifying');
      const result = await settle(run.client.verify(start.tx, response, signal), signal);

      this.active = undefined;
      this.setState('success');
      this.callbacks.succeeded({ kind: result.kind, tx: start.tx, userId: result.userId });
    } catch (error) {
      // Cancelled, reset or removed: whoever did that has already moved on.
      if (this.active !== run) return;
      this.active = undefined;
      if (phase === 'ceremony' && isCeremonyPreempted(error, signal)) {
        releaseTx(run);
        this.setState('idle');
        this.callbacks.cancelled();
        return;
      }
      const timedOut = signal.aborted && signal.reason instanceof DOMException && signal.reason.name === DEADLINE;
      if (timedOut || phase === 'ceremony') releaseTx(run);
      this.fail(timedOut ? 'timeout' : toErrorCode(error, phase, kind));
    } finally {
      clearTimeout(deadline);
    }
  }

  /**
   * Aborts the running ceremony and lets the proxy drop its TX. Returns false when nothing was
   * running, or once verifying started: the proxy may already have opened the session.
   */
  cancel(): boolean {
    if (this.currentState === 'verifying' || !this.stop()) return false;
    this.wasCancelled = true;
    this.setState('idle');
    this.callbacks.cancelled();
    return true;
  }

  /** Back to idle: aborts a running ceremony and forgets the last error. */
  reset(): void {
    this.stop();
    this.lastError = undefined;
    this.wasCancelled = false;
    this.setState('idle');
    this.host.requestUpdate(); // from a cancelled idle to a plain one: no state change, but no "Cancelled." either
  }

  private stop(): boolean {
    const run = this.active;
    if (!run) return false;
    this.active = undefined;
    run.abort.abort(new DOMException('The ceremony was cancelled.', 'AbortError'));
    releaseTx(run);
    return true;
  }

  private fail(code: ErrorCode): void {
    this.lastError = code;
    this.setState('error');
    this.callbacks.failed(code);
  }

  private setState(state: CeremonyState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.host.requestUpdate();
    this.callbacks.stateChanged(state);
  }
}

function send(client: ProxyClient, start: StartRequest): Promise<CeremonyStart> {
  switch (start.endpoint) {
    case 'authenticate':
      return client.authenticate(start.body);
    case 'signup':
      return client.signup(start.body);
    case 'register':
      return client.register();
  }
}

/**
 * Waits for `promise` unless `signal` aborts first, and treats a result that
 * arrives after the abort as aborted too, so a cancelled run never moves on.
 */
async function settle<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {}); // settled by the race below; never an unhandled rejection
  const value = await Promise.race([promise, aborted]);
  signal.throwIfAborted();
  return value;
}

/** Best effort: the proxy cancels a TX that will not be used, so it does not linger as pending. */
function releaseTx(run: ActiveRun): void {
  if (run.tx) run.client.cancel(run.tx).catch(() => {});
}

function toErrorCode(error: unknown, phase: 'proxy' | 'ceremony', kind: CeremonyKind): ErrorCode {
  if (isProxyError(error) || isCeremonyError(error)) return error.code;
  // Neither layer should let anything else through; if one does, say what is most likely.
  return phase === 'ceremony' ? identifyCeremonyError(error, { kind }).code : 'network';
}
