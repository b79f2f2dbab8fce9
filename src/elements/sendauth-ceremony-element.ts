import { html, LitElement, nothing, type CSSResultGroup, type PropertyDeclarations, type TemplateResult } from 'lit';
import { isRetryable, type ErrorCode } from '../error-codes.js';
import { baseStyles } from './base-styles.js';
import { CeremonyFlowController, type StartRequest } from './ceremony-flow-controller.js';
import { CountdownController } from './countdown-controller.js';
import { defineElement } from './define-element.js';
import { emit, type CeremonyState } from './events.js';
import { errorText, statusText } from './status-text.js';
import { fill, renderWaiting } from './waiting-view.js';
import { StringsController } from './strings-controller.js';

/** Two minutes: longer than a WebAuthn prompt's own timeout, so that one normally ends first. */
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * What `<sendauth-login>`, `<sendauth-register>` and `<sendauth-approve>` share (the waiting state of an
 * approval on the user's own device included): the ceremony flow,
 * the public methods and events, the strings, the button, status and error
 * parts, the styling surface and `define()`. Subclasses add their fields and
 * say which request starts the ceremony.
 *
 * @csspart form - The form around everything.
 * @csspart button - The button that starts the ceremony (and, with `secondary`, "Use another device" and "Cancel").
 * @csspart secondary - "Use another device", and "Cancel" while waiting.
 * @csspart waiting - While waiting for the approval on the user's device: the code and the time left.
 * @csspart code - The two-digit code the notification shows too.
 * @csspart timer - The time left until the request expires.
 * @csspart status - The live region announcing progress, where the request went, the code, the minutes left, and success.
 * @csspart error - The error message (an alert; takes the focus).
 *
 * @cssproperty --sendauth-font-family - Font of all text. Default: the system UI font.
 * @cssproperty --sendauth-font-size - Base font size. Default `1rem`.
 * @cssproperty --sendauth-max-width - Widest the element grows. Default `24rem`.
 * @cssproperty --sendauth-gap - Space between the rows. Default `0.75rem`.
 * @cssproperty --sendauth-padding - Space inside the form. Default `1.25rem`.
 * @cssproperty --sendauth-radius - Corner radius of the form. Default `0.75rem`.
 * @cssproperty --sendauth-control-radius - Corner radius of the fields, button and error. Default `0.5rem`.
 * @cssproperty --sendauth-color-text - Text colour.
 * @cssproperty --sendauth-color-muted - Status text colour.
 * @cssproperty --sendauth-color-surface - Background of the form.
 * @cssproperty --sendauth-color-border - Borders of the form and fields.
 * @cssproperty --sendauth-color-input-background - Background of the fields.
 * @cssproperty --sendauth-color-accent - Button background.
 * @cssproperty --sendauth-color-accent-text - Button text colour.
 * @cssproperty --sendauth-color-error - Error text and invalid field border.
 * @cssproperty --sendauth-color-error-background - Background of the error message.
 * @cssproperty --sendauth-color-focus - Focus ring colour.
 */
export abstract class SendAuthCeremonyElement extends LitElement {
  static override styles: CSSResultGroup = baseStyles;

  // Declared here rather than with decorators: the same, in fewer bytes of the drop-in file.
  static override properties: PropertyDeclarations = {
    endpoint: {},
    lang: { reflect: true, useDefault: true },
    timeout: { type: Number },
  };

  /** The tag `define()` registers when given none, e.g. `'sendauth-login'`. */
  static readonly defaultTag: string;

  /**
   * Registers the element as `tag` (default: its own). Warns instead of throwing when the tag is
   * already taken by another copy of the package; does nothing where there is no registry (SSR).
   */
  static define(tag: string = this.defaultTag, registry?: CustomElementRegistry): void {
    defineElement(tag, this as unknown as CustomElementConstructor, registry);
  }

  /** Where the site mounted the SendAuth proxy. */
  endpoint = '/sendauth';

  /**
   * Language of the element's text (`en`, or one registered: eleven more ship ready to register, as
   * `@sendauth/elements/locales/*`); else the nearest ancestor's `lang`, else English. Reflected, like
   * the native `lang`; the empty default is not.
   */
  override lang = '';

  /** Client-side deadline in milliseconds: a ceremony that has not settled by then ends with `timeout`. */
  timeout = DEFAULT_TIMEOUT_MS;

  protected readonly localize = new StringsController(this);

  readonly #flow = new CeremonyFlowController(this, {
    stateChanged: (state) => emit(this, 'sendauth-state', { state }),
    succeeded: (detail) => emit(this, 'sendauth-success', detail),
    failed: (code, retryAfterMs) => {
      if (retryAfterMs) this.#wait.start(retryAfterMs);
      void this.#showError(code);
    },
    cancelled: () => emit(this, 'sendauth-cancel', {}),
    restored: () => this.reset(),
  });

  /** The wait a 429 asked for (`Retry-After`): the button says when it can be pressed again. */
  readonly #wait = new CountdownController(this);

  /** Where the element is: idle → starting → ceremony → verifying → success | error. */
  get state(): CeremonyState {
    return this.#flow.state;
  }

  /**
   * Starts the ceremony, as a click on the button does. Does nothing while one
   * is running or while a field needs fixing (the field then says why).
   * Never rejects; resolves when the ceremony has ended.
   */
  start(): Promise<void> {
    return this.#begin(this.#flow.resend);
  }

  /** Whether to offer "Use another device" (approval on the user's own device) beside the button. */
  protected anotherDevice = true;

  /** Starts a run; `approval` asks for it on the user's own device. */
  #begin(approval: boolean): Promise<void> {
    if (this.#flow.busy || this.#wait.remainingMs) return Promise.resolve();
    // A property set just now (`el.username = …; el.start()`) reaches its field first; then the
    // fields are read as they are, however their values got there.
    if (this.isUpdatePending) this.performUpdate();
    this.readFields();
    if (!this.validate()) return Promise.resolve();
    return this.#flow.run({
      proxy: this.endpoint,
      start: this.startRequest(),
      timeoutMs: this.timeout > 0 ? this.timeout : DEFAULT_TIMEOUT_MS,
      approval,
    });
  }

  /**
   * Aborts a running ceremony, tells the proxy to drop its TX and fires `sendauth-cancel`. Does
   * nothing when idle, nor once `verifying` has started: the proxy may already have signed the
   * visitor in, so that ceremony ends as the proxy says.
   */
  cancel(): void {
    this.#flow.cancel();
  }

  /** Back to idle: aborts a running ceremony (without `sendauth-cancel`) and clears the error. */
  reset(): void {
    this.#flow.reset();
  }

  /** The one request to the proxy that starts the ceremony, from the fields as they are now. */
  protected abstract startRequest(): StartRequest;

  /** Checks the fields before anything is sent; shows what is wrong and returns false. */
  protected abstract validate(): boolean;

  /**
   * Takes the fields' values as they are now, however they got there: typed, or set by a password
   * manager or a script without an `input` event.
   */
  protected abstract readFields(): void;

  protected get busy(): boolean {
    return this.#flow.busy;
  }

  /** Typing after a failure: the error is about the last try, so it goes (back to idle). */
  protected dismissError(): void {
    if (this.#flow.error) this.#flow.reset();
  }

  protected handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.start();
  }

  /**
   * The button: a real `<button type="submit">`, disabled for clicks (not for focus) while busy.
   * Busy is said here, not on the form: a busy form would hold back its live status.
   */
  protected renderButton(label: string): TemplateResult {
    const approval = this.#flow.waiting;
    // While the user approves on their device: the code and the time left in the button's place.
    if (approval) return renderWaiting(approval, this.localize.strings);
    const waitMs = this.#wait.remainingMs;
    const strings = this.localize.strings;
    return html`
      <button part="button" type="submit" aria-disabled=${this.busy || waitMs > 0} aria-busy=${this.busy}>
        ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}
        ${waitMs ? fill(strings.retryButton, waitMs) : html`<slot name="button">${this.#flow.resend ? strings.sendAgainButton : label}</slot>`}
      </button>
      ${this.anotherDevice && !this.busy && !this.#flow.resend
        ? html`<button part="button secondary" type="button" @click=${() => this.#begin(true)}>${strings.anotherDeviceButton}</button>`
        : nothing}
    `;
  }

  /** The form around everything, marked with the language and direction of the text it shows. */
  protected renderForm(content: TemplateResult): TemplateResult {
    return html`<form part="form" novalidate lang=${this.localize.textLang} dir=${this.localize.dir} @submit=${this.handleSubmit}>
      ${content}
    </form>`;
  }

  /** The error, if there is one: an alert that takes the focus, placed before the button so Tab goes on to it. */
  protected renderError(): TemplateResult | typeof nothing {
    const code = this.#flow.error;
    if (!code) return nothing;
    return html`<div part="error" role="alert" tabindex="-1">${errorText(code, this.localize.strings)}</div>`;
  }

  /**
   * The polite live region that announces progress and success. While a 429's wait counts down
   * it is not live (`off`), so it is not read out every second; the end of the wait is.
   */
  protected renderStatus(successText: string): TemplateResult {
    const waiting = this.#wait.remainingMs > 0;
    const strings = this.localize.strings;
    return html`<div part="status" aria-live=${waiting ? 'off' : 'polite'}>${statusText(this.#flow, this.#wait, strings, successText)}</div>
      ${this.#flow.waiting ? html`<button part="button secondary" type="button" @click=${this.cancel}>${strings.cancelButton}</button>` : nothing}`;
  }

  async #showError(code: ErrorCode): Promise<void> {
    const message = errorText(code, this.localize.strings);
    emit(this, 'sendauth-error', { code, message, retryable: isRetryable(code) });
    await this.updateComplete;
    // Only if the error is still shown: a listener may have called reset() or start().
    if (this.#flow.error === code) this.renderRoot.querySelector<HTMLElement>('[part~="error"]')?.focus();
  }
}
