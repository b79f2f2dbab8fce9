import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { StartRequest } from '../ceremony-flow-controller.js';
import type { FieldMessage } from '../field-messages.js';
import { SendAuthCeremonyElement } from '../sendauth-ceremony-element.js';
import { loginStyles } from './sendauth-login.styles.js';
import { normalizeLoginUsername, validateUsername } from './username-validation.js';

/**
 * @summary Signs a SendAuth user in with a passkey: a username field and a
 * "Sign in with a passkey" button. One request to `{endpoint}/authenticate`,
 * then the browser's passkey prompt, then `{endpoint}/tx/{tx}/verify`.
 *
 * @attr endpoint - Where the site mounted the SendAuth proxy. Default `/sendauth`.
 * @attr username - Prefills the username (email) field.
 * @attr user-id - The SendAuth user id to sign in; hides the username field.
 * @attr lang - Language of the text: `en`, or one added with `registerLanguage` (eleven more ship ready to register: `@sendauth/elements/locales/*`).
 * @attr timeout - Client-side deadline in milliseconds. Default 120000.
 *
 * @event {CustomEvent<{kind: 'authentication', tx: string, userId: string}>} sendauth-success - The proxy verified the passkey; the site session is set.
 * @event {CustomEvent<{code: ErrorCode, message: string, retryable: boolean}>} sendauth-error - The sign-in failed; `message` is what the element shows.
 * @event {CustomEvent<{}>} sendauth-cancel - `cancel()`, or another passkey prompt started on the page, ended a running sign-in.
 * @event {CustomEvent<{state: CeremonyState}>} sendauth-state - idle → starting → ceremony → verifying → success | error.
 *
 * @slot label - Replaces the username field's label text.
 * @slot button - Replaces the button's text.
 *
 * @csspart label - The username field's label.
 * @csspart input - The username field.
 * @csspart field-error - What is wrong with the username field.
 */
export class SendAuthLogin extends SendAuthCeremonyElement {
  static override styles = loginStyles;
  static override readonly defaultTag = 'sendauth-login';
  static override properties: PropertyDeclarations = { username: {}, userId: { attribute: 'user-id' }, usernameProblem: { state: true } };

  /** The username (email) to sign in; the field shows it and typing changes it. */
  username = '';

  /** The SendAuth user id to sign in; when set, the username field is not shown. */
  userId = '';

  /** What was wrong with the field on submit (empty, too long, …), as its message's key. */
  private usernameProblem: FieldMessage | undefined = undefined;

  get #input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#username');
  }

  protected startRequest(): StartRequest {
    return { endpoint: 'authenticate', body: this.userId ? { userId: this.userId } : { username: normalizeLoginUsername(this.username) } };
  }

  protected validate(): boolean {
    this.usernameProblem = this.userId ? undefined : validateUsername(this.username);
    if (this.usernameProblem) this.#input?.focus();
    return !this.usernameProblem;
  }

  protected readFields(): void {
    if (this.#input) this.username = this.#input.value;
  }

  /** Back to idle: aborts a running ceremony (without `sendauth-cancel`), clears the error and the field message. */
  override reset(): void {
    this.usernameProblem = undefined;
    super.reset();
  }

  protected override render(): TemplateResult {
    const strings = this.localize.strings;
    return this.renderForm(html`
      ${this.userId ? nothing : this.#renderUsernameField()} ${this.renderError()} ${this.renderButton(strings.signInButton)}
      ${this.renderStatus(strings.statusSignedIn)}
    `);
  }

  #renderUsernameField(): TemplateResult {
    const strings = this.localize.strings;
    // The address is written left to right in a right-to-left form too (an "@" typed last stays last).
    return html`
      <div class="field">
        <label part="label" for="username"><slot name="label">${strings.usernameLabel}</slot></label>
        <input
          part="input"
          id="username"
          name="username"
          type="text"
          inputmode="email"
          dir="ltr"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          ?readonly=${this.busy}
          aria-invalid=${this.usernameProblem ? 'true' : 'false'}
          aria-describedby=${this.usernameProblem ? 'username-error' : nothing}
          .value=${this.username}
          @input=${this.#handleInput}
        />
        ${this.usernameProblem
          ? html`<div part="field-error" id="username-error">${strings[this.usernameProblem]}</div>`
          : nothing}
      </div>
    `;
  }

  #handleInput(event: InputEvent): void {
    this.username = (event.target as HTMLInputElement).value;
    this.usernameProblem = undefined;
    this.dismissError();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sendauth-login': SendAuthLogin;
  }
}
