import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ProxyClient } from '../../client/index.js';
import type { CeremonyStart } from '../../types.js';
import { defineElement } from '../define-element.js';
import { SendAuthCeremonyElement } from '../sendauth-ceremony-element.js';
import { loginStyles } from './sendauth-login.styles.js';

/**
 * @summary Signs a SendAuth user in with a passkey: a username field and a
 * "Sign in with a passkey" button. One request to `{endpoint}/authenticate`,
 * then the browser's passkey prompt, then `{endpoint}/tx/{tx}/verify`.
 *
 * @attr endpoint - Where the site mounted the SendAuth proxy. Default `/sendauth`.
 * @attr username - Prefills the username (email) field.
 * @attr user-id - The SendAuth user id to sign in; hides the username field.
 * @attr lang - Language of the text: `en`, or one added with `registerLanguage` (`de` and `fr` ship ready to register).
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
 * @csspart form - The form around everything.
 * @csspart label - The username field's label.
 * @csspart input - The username field.
 * @csspart field-error - What is wrong with the username field.
 * @csspart button - The sign-in button.
 * @csspart status - The live region announcing progress and success.
 * @csspart error - The error message (an alert; takes the focus).
 *
 * @cssproperty --sendauth-font-family - Font of all text. Default: the system UI font.
 * @cssproperty --sendauth-font-size - Base font size. Default `1rem`.
 * @cssproperty --sendauth-max-width - Widest the element grows. Default `24rem`.
 * @cssproperty --sendauth-gap - Space between the rows. Default `0.75rem`.
 * @cssproperty --sendauth-padding - Space inside the form. Default `1.25rem`.
 * @cssproperty --sendauth-radius - Corner radius of the form. Default `0.75rem`.
 * @cssproperty --sendauth-control-radius - Corner radius of the field, button and error. Default `0.5rem`.
 * @cssproperty --sendauth-color-text - Text colour.
 * @cssproperty --sendauth-color-muted - Status text colour.
 * @cssproperty --sendauth-color-surface - Background of the form.
 * @cssproperty --sendauth-color-border - Borders of the form and field.
 * @cssproperty --sendauth-color-input-background - Background of the field.
 * @cssproperty --sendauth-color-accent - Button background.
 * @cssproperty --sendauth-color-accent-text - Button text colour.
 * @cssproperty --sendauth-color-error - Error text and invalid field border.
 * @cssproperty --sendauth-color-error-background - Background of the error message.
 * @cssproperty --sendauth-color-focus - Focus ring colour.
 */
export class SendAuthLogin extends SendAuthCeremonyElement {
  static override styles = loginStyles;

  /** Registers the tag; warns instead of throwing when it is already taken. */
  static define(tag = 'sendauth-login', registry?: CustomElementRegistry): void {
    defineElement(tag, this, registry);
  }

  /** The username (email) to sign in; the field shows it and typing changes it. */
  @property() username = '';

  /** The SendAuth user id to sign in; when set, the username field is not shown. */
  @property({ attribute: 'user-id' }) userId = '';

  /** Whether the field was found empty on submit. */
  @state() private missingUsername = false;

  @query('#username') private input?: HTMLInputElement;

  protected readonly kind = 'authentication';

  protected begin(client: ProxyClient): Promise<CeremonyStart> {
    const body = this.userId ? { userId: this.userId } : { username: this.username.trim() };
    return client.authenticate(body);
  }

  protected validate(): boolean {
    this.missingUsername = !this.userId && this.username.trim() === '';
    if (this.missingUsername) this.input?.focus();
    return !this.missingUsername;
  }

  /** Back to idle: aborts a running ceremony (without `sendauth-cancel`), clears the error and the field message. */
  override reset(): void {
    this.missingUsername = false;
    super.reset();
  }

  protected override render(): TemplateResult {
    const strings = this.localize.strings;
    return html`
      <form part="form" novalidate @submit=${this.handleSubmit}>
        ${this.userId ? nothing : this.renderUsernameField()} ${this.renderError()}
        ${this.renderButton(strings.signInButton)} ${this.renderStatus(strings.statusSignedIn)}
      </form>
    `;
  }

  private renderUsernameField(): TemplateResult {
    const strings = this.localize.strings;
    return html`
      <div class="field">
        <label part="label" for="username"><slot name="label">${strings.usernameLabel}</slot></label>
        <input
          part="input"
          id="username"
          name="username"
          type="text"
          inputmode="email"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          aria-invalid=${this.missingUsername ? 'true' : 'false'}
          aria-describedby=${this.missingUsername ? 'username-error' : nothing}
          .value=${this.username}
          @input=${this.handleInput}
        />
        ${this.missingUsername
          ? html`<div part="field-error" id="username-error">${strings.fieldRequired}</div>`
          : nothing}
      </div>
    `;
  }

  private handleInput(event: InputEvent): void {
    this.username = (event.target as HTMLInputElement).value;
    this.missingUsername = false;
    this.dismissError();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sendauth-login': SendAuthLogin;
  }
}
