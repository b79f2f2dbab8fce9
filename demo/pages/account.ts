/**
 * The account page: who is signed in (`ProxyClient#me`), their passkey
 * (add one with `<sendauth-register>`, remove it with
 * `ProxyClient#removePasskey`), changing their email (a step-up: approved on
 * their own device with `<sendauth-approve>`, then `POST /account/email`,
 * which the site's server confirms) and signing out (`POST /logout`).
 */
import { getStrings, isProxyError, ProxyClient } from '../../src/index.js';
import { normalizeEmail } from '../../src/field-rules.js';
import type { MeResult } from '../../src/wire.js';
import { emailChangeMessage } from '../email-change.js';
import { byId, callSite, showPageError } from './site.js';

const proxy = new ProxyClient({ endpoint: '/sendauth' });

/** What went wrong, in the elements' own words for the error's code. */
function reason(error: unknown): string {
  return isProxyError(error) ? getStrings(document.documentElement.lang).errors[error.code] : String(error);
}

const loading = byId('account-loading');
const signedOut = byId('signed-out');
const account = byId('account');
const status = byId('page-status');
const removeButton = byId<HTMLButtonElement>('remove-passkey');
const signOutButton = byId<HTMLButtonElement>('sign-out');
const addPasskey = byId('add-passkey') as HTMLElementTagNameMap['sendauth-register'];
const newEmail = byId<HTMLInputElement>('new-email');
const approveEmail = byId('approve-email') as HTMLElementTagNameMap['sendauth-approve'];

function showSignedOut(): void {
  loading.hidden = true;
  account.hidden = true;
  signedOut.hidden = false;
  showPageError(undefined);
}

async function loadAccount(): Promise<void> {
  const session = await callSite<{ signedIn: boolean }>('GET', '/session');
  if (session.ok && !session.body.signedIn) {
    showSignedOut();
    return;
  }
  let me: MeResult;
  try {
    me = await proxy.me();
  } catch (error) {
    loading.hidden = true;
    if (isProxyError(error) && error.code === 'unauthorized') {
      showSignedOut();
    } else {
      account.hidden = true;
      showPageError(`We could not load your account: ${reason(error)}`);
    }
    return;
  }
  loading.hidden = true;
  signedOut.hidden = true;
  account.hidden = false;
  byId('greeting').textContent = new URLSearchParams(window.location.search).has('welcome')
    ? `Welcome, ${me.firstName}!`
    : `Hello, ${me.firstName}`;
  byId('me-name').textContent = `${me.firstName} ${me.lastName}`.trim();
  showBreakable(byId('me-email'), me.email ?? '—');
  showBreakable(byId('me-id'), me.userId);
  showPasskey(me.hasPasskeys);
}

/**
 * Shows an address or an id so that a narrow screen wraps it only between its
 * parts (after @ and -, before a dot), never inside one: a `<wbr>` at each.
 */
function showBreakable(element: HTMLElement, text: string): void {
  element.replaceChildren();
  for (const part of text.split(/(?<=[@\-_+])|(?=\.)/)) {
    if (element.firstChild) element.append(document.createElement('wbr'));
    element.append(part);
  }
}

function showPasskey(hasPasskeys: boolean): void {
  byId('passkey-yes').hidden = !hasPasskeys;
  byId('passkey-no').hidden = hasPasskeys;
  removeButton.hidden = !hasPasskeys;
  addPasskey.hidden = hasPasskeys;
  if (!hasPasskeys) addPasskey.reset();
}

async function removePasskey(): Promise<void> {
  removeButton.disabled = true;
  status.textContent = 'Removing your passkey…';
  showPageError(undefined);
  try {
    await proxy.removePasskey();
  } catch (error) {
    removeButton.disabled = false;
    status.textContent = '';
    showPageError(
      isProxyError(error) && error.code === 'unauthorized'
        ? 'Your session has ended. Sign in again to manage your passkey.'
        : `We could not remove your passkey: ${reason(error)}`,
    );
    return;
  }
  removeButton.disabled = false;
  status.textContent = 'Your passkey was removed.';
  showPasskey(false);
}

async function signOut(): Promise<void> {
  signOutButton.disabled = true;
  showPageError(undefined);
  const answer = await callSite<{ signedOut: boolean }>('POST', '/logout');
  if (!answer.ok) {
    signOutButton.disabled = false;
    showPageError(`We could not sign you out: ${answer.message}`);
    return;
  }
  window.location.assign('/?signed-out');
}

// The approval is for exactly the address typed: the element shows it, the server confirms it.
newEmail.addEventListener('input', () => {
  const { problem } = normalizeEmail(newEmail.value);
  approveEmail.hidden = problem !== undefined;
  if (approveEmail.state !== 'waiting') approveEmail.message = emailChangeMessage(newEmail.value);
});
approveEmail.addEventListener('sendauth-success', (event) => {
  void (async () => {
    const answer = await callSite<{ email: string }>('POST', '/account/email', { email: newEmail.value, tx: event.detail.tx });
    if (!answer.ok) {
      showPageError(`We could not change your email: ${answer.message}`);
      return;
    }
    status.textContent = `Your email is now ${answer.body.email}.`;
    newEmail.value = '';
    approveEmail.hidden = true;
    approveEmail.reset();
    await loadAccount();
  })();
});

removeButton.addEventListener('click', () => void removePasskey());
signOutButton.addEventListener('click', () => void signOut());
addPasskey.addEventListener('sendauth-success', () => {
  status.textContent = 'Your new passkey is ready.';
  void loadAccount();
});

void loadAccount();
