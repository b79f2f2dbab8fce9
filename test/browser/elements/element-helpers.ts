/**
 * What the element tests share: reading what an element shows, driving it
 * like a visitor, recording its events and the requests it makes.
 */
import { oneEvent, waitUntil } from '@open-wc/testing';
import type { CeremonyState, SendAuthEventMap } from '../../../src/index.js';

export type SendAuthElement = HTMLElementTagNameMap['sendauth-login'] | HTMLElementTagNameMap['sendauth-register'] | HTMLElementTagNameMap['sendauth-approve'];
export type RecordedEvent = { [K in keyof SendAuthEventMap]: { type: K; detail: SendAuthEventMap[K]['detail'] } }[keyof SendAuthEventMap];

const EVENT_TYPES = ['sendauth-state', 'sendauth-success', 'sendauth-error', 'sendauth-cancel'] as const;

/** Every `sendauth-*` event `target` hears, in order (on `document`, to prove they bubble and are composed). */
export function recordEvents(target: EventTarget = document): { events: RecordedEvent[]; states(): CeremonyState[]; stop(): void } {
  const events: RecordedEvent[] = [];
  const listener = (event: Event): void => {
    events.push({ type: event.type, detail: (event as CustomEvent).detail } as RecordedEvent);
  };
  for (const type of EVENT_TYPES) target.addEventListener(type, listener);
  return {
    events,
    states: () => events.flatMap((event) => (event.type === 'sendauth-state' ? [event.detail.state] : [])),
    stop: () => {
      for (const type of EVENT_TYPES) target.removeEventListener(type, listener);
    },
  };
}

export function part(el: Element, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

export function button(el: Element): HTMLButtonElement {
  return part(el, 'button') as HTMLButtonElement;
}

export function input(el: Element, id: string): HTMLInputElement {
  return el.shadowRoot!.querySelector<HTMLInputElement>(`#${id}`)!;
}

/** The text of the error part, or undefined when none is shown. */
export function shownError(el: Element): string | undefined {
  return part(el, 'error')?.textContent?.trim();
}

export function shownStatus(el: Element): string {
  return part(el, 'status')?.textContent?.trim() ?? '';
}

/** Types into a field as a visitor does: value, then an `input` event. */
export function typeInto(el: Element, id: string, value: string): void {
  const field = input(el, id);
  field.focus();
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** Waits until the element reaches `state` (it may already be there). */
export async function untilState(el: SendAuthElement, state: CeremonyState, message = `state ${state}`): Promise<void> {
  await waitUntil(() => el.state === state, message, { timeout: 15_000 });
}

/** Clicks the button and waits for the outcome event (`sendauth-success` or `sendauth-error`). */
export async function clickAndSettle(el: SendAuthElement): Promise<RecordedEvent> {
  const outcome = Promise.race([oneEvent(el, 'sendauth-success'), oneEvent(el, 'sendauth-error')]);
  button(el).click();
  const event = (await outcome) as CustomEvent;
  await el.updateComplete;
  return { type: event.type, detail: event.detail } as RecordedEvent;
}

export interface RecordedRequest {
  method: string;
  path: string;
}

/**
 * Records every `fetch` the page makes (the proxy client's only way out) and
 * how many had been made each time the page called WebAuthn (never, in an
 * engine without it: WebKitGTK has no `navigator.credentials`). `settled()`
 * resolves once every recorded request has been answered or has failed: what
 * a test awaits before it asks SendAuth about a request the element did not
 * wait for (the DELETE of a cancelled TX), on a machine of any speed.
 */
export function recordRequests(): {
  requests: RecordedRequest[];
  requestsBeforeWebAuthn: number[];
  settled(): Promise<void>;
  restore(): void;
} {
  const requests: RecordedRequest[] = [];
  const requestsBeforeWebAuthn: number[] = [];
  const answers: Promise<unknown>[] = [];
  const originalFetch = window.fetch;
  window.fetch = (resource: RequestInfo | URL, init?: RequestInit) => {
    // Read, never copy: `new Request(request)` would take the original's body.
    const url = resource instanceof Request ? resource.url : String(resource);
    const method = init?.method ?? (resource instanceof Request ? resource.method : 'GET');
    requests.push({ method: method.toUpperCase(), path: new URL(url, location.href).pathname });
    const answer = originalFetch.call(window, resource, init);
    answers.push(answer);
    return answer;
  };
  const restoreWebAuthn = beforeWebAuthn(async () => {
    requestsBeforeWebAuthn.push(requests.length);
  });
  return {
    requests,
    requestsBeforeWebAuthn,
    settled: async () => void (await Promise.allSettled(answers)),
    restore: () => {
      window.fetch = originalFetch;
      restoreWebAuthn();
    },
  };
}

/**
 * Holds every WebAuthn call until `before()` has run (e.g. to move the
 * emulator's clock between start and verify); returns the undo. Nothing to
 * hold in an engine without `navigator.credentials`.
 */
export function beforeWebAuthn(before: () => Promise<void>): () => void {
  const credentials = navigator.credentials as CredentialsContainer | undefined;
  if (!credentials) return () => {};
  const originalGet = credentials.get;
  const originalCreate = credentials.create;
  credentials.get = async (options?: CredentialRequestOptions) => {
    await before();
    return originalGet.call(credentials, options);
  };
  credentials.create = async (options?: CredentialCreationOptions) => {
    await before();
    return originalCreate.call(credentials, options);
  };
  return () => {
    credentials.get = originalGet;
    credentials.create = originalCreate;
  };
}

/** Collects unhandled promise rejections while a test runs. */
export function recordUnhandledRejections(): { reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (event: PromiseRejectionEvent): void => {
    reasons.push(event.reason);
  };
  window.addEventListener('unhandledrejection', listener);
  return { reasons, stop: () => window.removeEventListener('unhandledrejection', listener) };
}

/** The proxy call a site makes for "remove my passkey": used to let a refused registration succeed on retry. */
export async function removeSignedInUsersPasskeys(endpoint = '/sendauth'): Promise<void> {
  const response = await fetch(`${endpoint}/me/passkey`, { method: 'DELETE', headers: { 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`DELETE ${endpoint}/me/passkey answered ${response.status}`);
}
