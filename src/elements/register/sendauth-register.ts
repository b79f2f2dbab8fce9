import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { StartRequest } from '../ceremony-flow-controller.js';
import type { SignupRequest } from '../../wire.js';
import { SendAuthCeremonyElement } from '../sendauth-ceremony-element.js';
import { registerStyles } from './sendauth-register.styles.js';
import { normalizeSignup, validateSignup, type SignupField, type SignupProblems } from './signup-validation.js';

const SIGNUP_FIELDS: readonly SignupField[] = ['firstName', 'lastName', 'email'];

/**
 * @summary Creates a passkey: for the site's signed-in user (one request to
 * `{endpoint}/register`), or with `signup` for a new SendAuth user from a
 * first name, last name and email (`{endpoint}/signup`); then the browser's
 * passkey prompt, then `{endpoint}/tx/{tx}/verify`.
 *
 * @attr endpoint - Where the site mounted the SendAuth proxy. Default `/sendauth`.
 * @attr signup - Also asks first name, last name and email, and creates the user.
 * @attr lang - Language of the text: `en`, or one added with `registerLanguage` (eleven more ship ready to register: `@sendauth/elements/locales/*`).
 * @attr timeout - Client-side deadline in milliseconds. Default 120000.
 *
 * @event {CustomEvent<{kind: 'registration', tx: string, userId: string}>} sendauth-success - The proxy verified the new passkey.
 * @event {CustomEvent<{code: ErrorCode, message: string, retryable: boolean}>} sendauth-error - Creating the passkey failed; `message` is what the element shows.
 * @event {CustomEvent<{}>} sendauth-cancel - `cancel()`, or another passkey prompt started on the page, ended a running registration.
 * @event {CustomEvent<{state: CeremonyState}>} sendauth-state - idle → starting → ceremony → verifying → success | error.
 *
 * @slot first-name-label - Replaces the first name field's label text (with `signup`).
 * @slot last-name-label - Replaces the last name field's label text (with `signup`).
 * @slot email-label - Replaces the email field's label text (with `signup`).
 * @slot button - Replaces the button's text.
 *
 * @csspart label - Each field's label (with `signup`).
 * @csspart input - Each field (with `signup`).
 * @csspart field-error - What is wrong with a field (with `signup`).
 */
export class SendAuthRegister extends SendAuthCeremonyElement {
  static override styles = registerStyles;
  static override readonly defaultTag = 'sendauth-register';
  static override properties: PropertyDeclarations = { signup: { type: Boolean }, values: { state: true }, problems: { state: true } };

  /** Signs a new user up (asks first name, last name and email) instead of enrolling the signed-in one. */
  signup = false;

  private values: SignupRequest = { firstName: '', lastName: '', email: '' };
  private problems: SignupProblems = {};

  protected startRequest(): StartRequest {
    if (!this.signup) return { endpoint: 'register' };
    return { endpoint: 'signup', body: normalizeSignup(this.values) };
  }

  protected validate(): boolean {
    this.problems = this.signup ? validateSignup(this.values) : {};
    const firstInvalid = SIGNUP_FIELDS.find((field) => this.problems[field]);
    if (!firstInvalid) return true;
    // After the render, so the field's message is already its description when focus lands.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${firstInvalid}`)?.focus());
    return false;
  }

  protected readFields(): void {
    if (!this.signup) return;
    const read = (field: SignupField): string => this.renderRoot.querySelector<HTMLInputElement>(`#${field}`)?.value ?? this.values[field];
    this.values = { firstName: read('firstName'), lastName: read('lastName'), email: read('email') };
  }

  /** Back to idle: aborts a running ceremony (without `sendauth-cancel`), clears the error and the field messages. */
  override reset(): void {
    this.problems = {};
    super.reset();
  }

  protected override render(): TemplateResult {
    const strings = this.localize.strings;
    return this.renderForm(html`
      ${this.signup ? this.#renderSignupFields() : nothing} ${this.renderError()}
      ${this.renderButton(this.signup ? strings.signupButton : strings.registerButton)} ${this.renderStatus(strings.statusRegistered)}
    `);
  }

  #renderSignupFields(): TemplateResult {
    const strings = this.localize.strings;
    return html`
      <div class="names">
        ${this.#renderField('firstName', 'first-name-label', strings.firstNameLabel, 'given-name')}
        ${this.#renderField('lastName', 'last-name-label', strings.lastNameLabel, 'family-name')}
      </div>
      ${this.#renderField('email', 'email-label', strings.emailLabel, 'email')}
    `;
  }

  #renderField(field: SignupField, labelSlot: string, label: string, autocomplete: string): TemplateResult {
    const problem = this.problems[field];
    // The email field is text with an email keyboard, not type=email: Chromium's type=email turns an
    // IDN domain into punycode while it is typed (the caret then jumps), and other engines do not, so
    // the one form of an address comes from the shared rules (field-rules.ts) for every element alike.
    // An address is written left to right in a right-to-left form too (an "@" typed last stays last).
    return html`
      <div class="field">
        <label part="label" for=${field}><slot name=${labelSlot}>${label}</slot></label>
        <input
          part="input"
          id=${field}
          name=${field}
          type="text"
          inputmode=${field === 'email' ? 'email' : nothing}
          dir=${field === 'email' ? 'ltr' : nothing}
          autocapitalize=${field === 'email' ? 'none' : nothing}
          spellcheck=${field === 'email' ? 'false' : nothing}
          autocomplete=${autocomplete}
          required
          ?readonly=${this.busy}
          aria-invalid=${problem ? 'true' : 'false'}
          aria-describedby=${problem ? `${field}-error` : nothing}
          .value=${this.values[field]}
          @input=${this.#handleInput}
        />
        ${problem
          ? html`<div part="field-error" id=${`${field}-error`}>${this.localize.strings[problem]}</div>`
          : nothing}
      </div>
    `;
  }

  #handleInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    const field = input.name as SignupField;
    this.values = { ...this.values, [field]: input.value };
    if (this.problems[field]) this.problems = { ...this.problems, [field]: undefined };
    this.dismissError();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sendauth-register': SendAuthRegister;
  }
}
