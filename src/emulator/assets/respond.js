// The respond page: Approve runs the WebAuthn ceremony of the TX with @simplewebauthn/browser
// (served by the emulator) against the emulator's relying party; Deny denies the TX. Every call
// sends the link's secret; the server's answer says what to show.

import { browserSupportsWebAuthn, startAuthentication, startRegistration } from './simplewebauthn-browser/index.js';

const main = document.querySelector('main[data-tx]');
const approve = document.getElementById('approve');
const deny = document.getElementById('deny');
const status = document.getElementById('status');
const errorBox = document.getElementById('error');
const { tx, secret, kind } = main.dataset;

const expires = document.getElementById('expires');
expires.textContent = new Date(expires.dateTime).toLocaleTimeString();

class RespondError extends Error {
  constructor(message, state) {
    super(message);
    this.state = state;
  }
}

async function post(action, body = {}) {
  let response;
  try {
    response = await fetch(`/respond/${encodeURIComponent(tx)}/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ secret, ...body }),
      cache: 'no-store',
    });
  } catch {
    throw new RespondError('The emulator could not be reached. Is it still running?');
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new RespondError(answer.error ?? `The emulator answered ${response.status}.`, answer.state);
  return answer;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

/** The TX is over: show why, and take the buttons away. */
function finish(state, message) {
  main.dataset.state = state;
  approve.disabled = true;
  deny.disabled = true;
  approve.parentElement.hidden = true;
  status.textContent = message;
}

/** A failure: final when the server says the TX is no longer pending, else the person may try again. */
function fail(error) {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RespondError && error.state && error.state !== 'pending') {
    // A denial is news the person must notice (an alert); any other end is a status.
    finish(error.state, error.state === 'denied' ? '' : message);
    if (error.state === 'denied') showError(message);
    return;
  }
  status.textContent = '';
  showError(message);
  approve.disabled = options === undefined;
  deny.disabled = false;
}

/** Names of the browser's WebAuthn errors a person causes, and what to tell them. */
function ceremonyMessage(error) {
  if (error?.name === 'NotAllowedError' || error?.code === 'ERROR_CEREMONY_ABORTED') {
    return 'The passkey prompt was closed or no passkey was chosen. Try again, or deny the request.';
  }
  if (error?.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'This device already has a passkey for this account.';
  return `The passkey could not be used: ${error instanceof Error ? error.message : String(error)}`;
}

let options;

async function onApprove() {
  approve.disabled = true;
  deny.disabled = true;
  errorBox.hidden = true;
  status.textContent = kind === 'registration' ? 'Create the passkey when your device asks…' : 'Use your passkey when your device asks…';
  let response;
  try {
    response = kind === 'registration' ? await startRegistration({ optionsJSON: options }) : await startAuthentication({ optionsJSON: options });
  } catch (error) {
    fail(new Error(ceremonyMessage(error)));
    return;
  }
  status.textContent = 'Checking…';
  try {
    const answer = await post('response', { response });
    finish(answer.state, answer.message);
  } catch (error) {
    fail(error);
  }
}

async function onDeny() {
  approve.disabled = true;
  deny.disabled = true;
  errorBox.hidden = true;
  try {
    const answer = await post('deny');
    finish(answer.state, answer.message);
  } catch (error) {
    fail(error);
  }
}

async function load() {
  if (main.dataset.state !== 'pending') return;
  approve.addEventListener('click', onApprove);
  deny.addEventListener('click', onDeny);
  deny.disabled = false;
  if (!browserSupportsWebAuthn()) {
    showError('This browser does not support passkeys. Open the link in a recent Chrome, Safari, Firefox or Edge, or deny the request.');
    return;
  }
  // Fetched before the click, so the click goes straight to the authenticator (Safari drops
  // WebAuthn calls that come too long after the gesture).
  try {
    options = (await post('options')).options;
    approve.disabled = false;
    main.dataset.ready = 'true';
  } catch (error) {
    fail(error);
  }
}

load();
