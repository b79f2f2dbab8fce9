import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A deadline its host shows counting down: re-renders the host as each whole
 * second of `remainingMs` passes, until the deadline, and once more then.
 * Stops ticking while the host is disconnected (a reconnected host goes on).
 */
export class CountdownController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  /** When the countdown ends, in ms since the epoch; 0 until one is started. */
  until = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Counts down `ms` milliseconds from now. */
  start(ms: number): void {
    this.until = Date.now() + ms;
    this.hostConnected();
  }

  /** Milliseconds left; 0 when no countdown runs. */
  get remainingMs(): number {
    return Math.max(0, this.until - Date.now());
  }


  hostConnected(): void {
    clearTimeout(this.#timer);
    const left = this.remainingMs;
    if (left) this.#timer = setTimeout(() => this.hostConnected(), left % 1000 || 1000);
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }
}
