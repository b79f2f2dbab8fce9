import { html, type TemplateResult } from 'lit';
import type { StartRequest } from '../ceremony-flow-controller.js';
import { SendAuthCeremonyElement } from '../sendauth-ceremony-element.js';
import { approveStyles } from './sendauth-approve.styles.js';

/**
 * @summary Step-up: the signed-in user approves one action (its `message`) on
 * their own device. One request to `{endpoint}/approve`; SendAuth notifies the
 * user, the element waits (where the request went, the code, the time left,
 * Cancel), then `{endpoint}/tx/{tx}/complete`. No session is opened: the site's
 * server confirms the action with `proxy.confirmApproval({ tx, userId, message })`
 * before it acts.
 *
 * @attr endpoint - Where the site mounted the SendAuth proxy. Default `/sendauth`.
 * @attr message - What the user approves, e.g. `Pay €120 to Acme` (1–512 characters); shown above the button and in the notification.
 * @attr lang - Language of the text: `en`, or one added with `registerLanguage` (eleven more ship ready to register: `@sendauth/elements/locales/*`).
 * @attr timeout - Client-side deadline in milliseconds until the request is sent. Default 120000.
 *
 * @event {CustomEvent<{kind: 'approval', tx: string, userId: string}>} sendauth-success - The user approved on their device; confirm `tx` on the server.
 * @event {CustomEvent<{code: ErrorCode, message: string, retryable: boolean}>} sendauth-error - The approval failed (`tx-denied`, `tx-expired`, …); `message` is what the element shows.
 * @event {CustomEvent<{}>} sendauth-cancel - "Cancel", `cancel()`, or the request was cancelled at SendAuth.
 * @event {CustomEvent<{state: CeremonyState}>} sendauth-state - idle → starting → waiting → verifying → success | error.
 *
 * @slot button - Replaces the button's text.
 *
 * @csspart message - The action being approved.
 */
export class SendAuthApprove extends SendAuthCeremonyElement {
  static override styles = approveStyles;
  static override readonly defaultTag = 'sendauth-approve';
  static override properties = { message: {} };

  /** What the user approves; the site confirms exactly this text with `confirmApproval`. */
  message = '';

  protected override anotherDevice = false;

  protected startRequest(): StartRequest {
    return { endpoint: 'approve', body: { message: this.message } };
  }

  /** Nothing to fill in; a missing `message` is the site's mistake, which the proxy names (`invalid-request`). */
  protected validate(): boolean {
    return true;
  }

  /** Nothing to read: the action is the `message` attribute. */
  protected readFields(): void {}

  protected override render(): TemplateResult {
    const strings = this.localize.strings;
    return this.renderForm(html`
      <p part="message">${this.message}</p>
      ${this.renderError()} ${this.renderButton(strings.approveButton)} ${this.renderStatus(strings.statusApproved)}
    `);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sendauth-approve': SendAuthApprove;
  }
}
