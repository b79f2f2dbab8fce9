/**
 * Approval on another device, as a visitor meets it: the elements against an
 * emulator that serves only SendAuth's public spec (`ceremonyEndpoints: false`),
 * and the person's other device — a second browser context with its own
 * virtual authenticator — following the notification's link from the outbox
 * and approving (or denying) on the emulator's respond page. Sign-up, sign-in,
 * enrolment and step-up; denied, expired, cancelled, leaving the page; what the
 * waiting state shows and announces; axe.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../src/index.js';
import { getStrings, type SendAuthApprove, type SendAuthLogin, type SendAuthRegister } from '../../../src/index.js';
import {
  APPROVAL_ENDPOINTS,
  advanceApprovalClock,
  approvalOutbox,
  approvalVerifiedEvents,
  confirmApproval,
  createApprovalUser,
  forgetDevices,
  getApprovalUser,
  resetApprovalClock,
  respondOnDevice,
  sendAuthRequests,
  startDevices,
} from '../support/approval-commands.js';
import { sessionUserId, signInAs, signOut, type CreatedUser } from '../support/commands.js';
import { axeViolations } from './axe.js';
import { part, recordEvents, shownError, shownStatus, typeInto, untilState } from './element-helpers.js';

const en = getStrings('en');
/** WebKitGTK has no WebAuthn at all. */
const hasWebAuthn = typeof window.PublicKeyCredential === 'function';

/**
 * Starts a login's or register's approval as a visitor would: its button where the browser has
 * WebAuthn (the proxy answers approval by itself), else "Use another device" (there the button
 * says `not-supported`: see the last test).
 */
function begin(el: SendAuthLogin | SendAuthRegister): void {
  (hasWebAuthn ? part(el, 'button') : part(el, 'secondary'))!.click();
}
const { approval: APPROVAL, auto: AUTO } = APPROVAL_ENDPOINTS;
type Waiting = SendAuthLogin | SendAuthRegister | SendAuthApprove;

/** The TX the element is waiting on: the newest notification for `userId`. */
async function waitingTx(userId: string): Promise<string> {
  const entry = (await approvalOutbox()).find((notification) => notification.userId === userId);
  if (!entry) throw new Error(`no notification for ${userId}`);
  return entry.tx;
}

async function notificationState(tx: string): Promise<string | undefined> {
  return (await approvalOutbox()).find((entry) => entry.tx === tx)?.state;
}

function code(el: Waiting): string {
  return part(el, 'code')?.textContent?.trim() ?? '';
}

/** A user whose passkey is on their phone (made through a registration link), signed out. */
async function userWithPasskeyOnPhone(): Promise<CreatedUser> {
  const user = await createApprovalUser();
  signInAs(user.userId);
  const el = await fixture<SendAuthRegister>(html`<sendauth-register endpoint=${APPROVAL}></sendauth-register>`);
  begin(el);
  await untilState(el, 'waiting');
  const success = oneEvent(el, 'sendauth-success');
  expect(await respondOnDevice(await waitingTx(user.userId), 'approve')).to.equal('verified');
  await success;
  signOut();
  return user;
}

describe('approval on another device', () => {
  before(async function () {
    this.timeout(60_000); // a Chromium for the person's devices, started once for the run
    await startDevices();
  });
  beforeEach(() => signOut());
  afterEach(async () => {
    signOut();
    await resetApprovalClock();
  });
  after(() => forgetDevices());

  it('sign-up: a link creates the passkey on the person’s phone; the waiting page completes and is signed in', async () => {
    await sendAuthRequests(APPROVAL, true);
    const el = await fixture<SendAuthRegister>(html`<sendauth-register signup endpoint=${APPROVAL}></sendauth-register>`);
    const email = `signup-${crypto.randomUUID()}@example.com`;
    typeInto(el, 'firstName', 'Grace');
    typeInto(el, 'lastName', 'Hopper');
    typeInto(el, 'email', email);
    const events = recordEvents(el);
    begin(el);
    await untilState(el, 'waiting');

    expect(code(el)).to.match(/^[1-9]\d$/);
    expect(shownStatus(el)).to.contain(`We sent you a link to create your passkey (${email[0]}•••@example.com). Your code is ${code(el)}.`);
    expect(part(el, 'timer')!.getAttribute('role')).to.equal('timer');
    expect(part(el, 'timer')!.textContent).to.match(/^[45]:\d\d left$/);

    const entry = (await approvalOutbox()).find((notification) => notification.email === email)!;
    const success = oneEvent(el, 'sendauth-success');
    expect(await respondOnDevice(entry.tx, 'approve')).to.equal('verified');
    const { detail } = await success;
    events.stop();
    expect(detail.kind).to.equal('registration');
    expect(detail.tx).to.equal(entry.tx);
    expect(events.states()).to.deep.equal(['starting', 'waiting', 'verifying', 'success']);
    expect(sessionUserId()).to.equal(detail.userId);
    expect((await getApprovalUser(detail.userId)).hasPasskeys).to.equal(true);
    expect(await approvalVerifiedEvents(entry.tx)).to.have.length(1);
    expect((await sendAuthRequests(APPROVAL)).filter((r) => r.includes('/webauthn')), 'ceremony: "approval" never calls them').to.deep.equal([]);
  });

  it('sign-in: the phone approves with its passkey; the code on the page is the code in the notification', async () => {
    const user = await userWithPasskeyOnPhone();
    await sendAuthRequests(APPROVAL, true);
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${APPROVAL} username=${user.email}></sendauth-login>`);
    const events = recordEvents(el);
    begin(el);
    await untilState(el, 'waiting');
    const tx = await waitingTx(user.userId);
    const notification = (await approvalOutbox()).find((entry) => entry.tx === tx)!;
    // The browser's description is the engine's own (the test page may be any engine).
    expect(notification.message).to.match(new RegExp(`^Sign in to localhost:\\d+ from (?:Chrome|Firefox|Safari) on Linux\\. .*the code ${code(el)}\\.$`));
    expect(shownStatus(el)).to.contain(`We sent a request to ${user.email[0]}•••@example.com. Approve it only if it shows the code ${code(el)}.`);

    const success = oneEvent(el, 'sendauth-success');
    expect(await respondOnDevice(tx, 'approve')).to.equal('verified');
    expect((await success).detail).to.deep.equal({ kind: 'authentication', tx, userId: user.userId });
    events.stop();
    expect(events.states()).to.deep.equal(['starting', 'waiting', 'verifying', 'success']);
    expect(shownStatus(el)).to.equal(en.statusSignedIn);
    expect(sessionUserId()).to.equal(user.userId);
    expect((await sendAuthRequests(APPROVAL)).filter((r) => r.includes('/webauthn'))).to.deep.equal([]);
  });

  it('ceremony: "auto" over the public spec: one GET of the options, then approval (none in a browser without WebAuthn)', async () => {
    const user = await userWithPasskeyOnPhone();
    await sendAuthRequests(AUTO, true);
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${AUTO} user-id=${user.userId}></sendauth-login>`);
    begin(el);
    await untilState(el, 'waiting');
    expect((await sendAuthRequests(AUTO)).filter((r) => r.includes('/webauthn'))).to.deep.equal(
      hasWebAuthn ? ['GET /api/v1/transactions/:id/webauthn'] : [],
    );
    const success = oneEvent(el, 'sendauth-success');
    await respondOnDevice(await waitingTx(user.userId), 'approve');
    expect((await success).detail.userId).to.equal(user.userId);
  });

  it('“Use another device” asks for approval itself: no GET of the options', async () => {
    const user = await userWithPasskeyOnPhone();
    await sendAuthRequests(AUTO, true);
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${AUTO} username=${user.email}></sendauth-login>`);
    const another = part(el, 'secondary')!;
    expect(another.textContent?.trim()).to.equal(en.anotherDeviceButton);
    another.click();
    await untilState(el, 'waiting');
    expect((await sendAuthRequests(AUTO)).filter((r) => r.includes('/webauthn'))).to.deep.equal([]);
    el.cancel();
  });

  it('enrolment for the signed-in user: “We sent you a link to create your passkey”', async () => {
    const user = await createApprovalUser();
    signInAs(user.userId);
    const el = await fixture<SendAuthRegister>(html`<sendauth-register endpoint=${APPROVAL}></sendauth-register>`);
    begin(el);
    await untilState(el, 'waiting');
    expect(shownStatus(el)).to.contain('We sent you a link to create your passkey');
    const success = oneEvent(el, 'sendauth-success');
    await respondOnDevice(await waitingTx(user.userId), 'approve', 'new-phone');
    expect((await success).detail.kind).to.equal('registration');
    expect((await getApprovalUser(user.userId)).hasPasskeys).to.equal(true);
    expect(shownStatus(el)).to.equal(en.statusRegistered);
  });

  it('step-up: <sendauth-approve> waits for the phone; the site confirms the action once', async () => {
    const user = await userWithPasskeyOnPhone();
    signInAs(user.userId);
    const message = 'Change your email to grace@example.com';
    const el = await fixture<SendAuthApprove>(html`<sendauth-approve endpoint=${APPROVAL} message=${message}></sendauth-approve>`);
    expect(part(el, 'message')!.textContent).to.equal(message);
    expect(part(el, 'secondary'), 'no “Use another device”: it is always another device').to.equal(null);
    expect(part(el, 'button')!.textContent?.trim()).to.equal(en.approveButton);
    part(el, 'button')!.click(); // <sendauth-approve>: always an approval
    await untilState(el, 'waiting');
    const tx = await waitingTx(user.userId);
    expect((await approvalOutbox()).find((entry) => entry.tx === tx)!.message).to.contain(`“${message}”`);
    const success = oneEvent(el, 'sendauth-success');
    await respondOnDevice(tx, 'approve');
    expect((await success).detail).to.deep.equal({ kind: 'approval', tx, userId: user.userId });
    expect(shownStatus(el)).to.equal(en.statusApproved);
    expect(await approvalVerifiedEvents(tx), 'no session is opened for a step-up').to.deep.equal([]);
    expect(await confirmApproval({ endpoint: APPROVAL, tx, userId: user.userId, message })).to.equal(true);
    expect(await confirmApproval({ endpoint: APPROVAL, tx, userId: user.userId, message }), 'reused').to.equal(false);
  });

  it('denied on the phone: tx-denied is shown and “Send again” asks for approval again', async () => {
    const user = await userWithPasskeyOnPhone();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${AUTO} username=${user.email}></sendauth-login>`);
    begin(el);
    await untilState(el, 'waiting');
    const failed = oneEvent(el, 'sendauth-error');
    expect(await respondOnDevice(await waitingTx(user.userId), 'deny')).to.equal('denied');
    expect((await failed).detail).to.deep.equal({ code: 'tx-denied', message: en.errors['tx-denied'], retryable: true });
    expect(shownError(el)).to.equal(en.errors['tx-denied']);
    expect(part(el, 'button')!.textContent?.trim()).to.equal(en.sendAgainButton);
    expect(part(el, 'secondary')).to.equal(null);

    await sendAuthRequests(AUTO, true);
    part(el, 'button')!.click(); // "Send again"
    await untilState(el, 'waiting');
    expect((await sendAuthRequests(AUTO)).filter((r) => r.includes('/webauthn')), 'sent again as approval').to.deep.equal([]);
    el.cancel();
  });

  it('expired: tx-expired is shown, with “Send again”', async () => {
    const user = await userWithPasskeyOnPhone();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${APPROVAL} username=${user.email}></sendauth-login>`);
    begin(el);
    await untilState(el, 'waiting');
    const failed = oneEvent(el, 'sendauth-error');
    await advanceApprovalClock(5 * 60_000 + 1_000);
    expect((await failed).detail.code).to.equal('tx-expired');
    expect(shownError(el)).to.equal(en.errors['tx-expired']);
    expect(part(el, 'button')!.textContent?.trim()).to.equal(en.sendAgainButton);
  });

  it('Cancel cancels the TX at SendAuth and fires sendauth-cancel', async () => {
    const user = await userWithPasskeyOnPhone();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${APPROVAL} username=${user.email}></sendauth-login>`);
    begin(el);
    await untilState(el, 'waiting');
    const tx = await waitingTx(user.userId);
    const cancel = part(el, 'secondary')!;
    expect(cancel.textContent?.trim()).to.equal(en.cancelButton);
    const cancelled = oneEvent(el, 'sendauth-cancel');
    cancel.click();
    await cancelled;
    expect(el.state).to.equal('idle');
    expect(shownStatus(el)).to.equal(en.statusCancelled);
    await waitUntil(async () => (await notificationState(tx)) === 'cancelled', 'cancelled at SendAuth', { timeout: 5_000 });
  });

  it('leaving the page cancels the TX it was waiting on', async function () {
    this.timeout(90_000);
    const user = await userWithPasskeyOnPhone();
    const frame = await fixture<HTMLIFrameElement>(html`<iframe src="/test/browser/pages/approval-login.html"></iframe>`);
    // The first request of the drop-in file in a run builds it (several seconds on a busy machine).
    await waitUntil(() => frame.contentWindow?.customElements?.get('sendauth-login'), 'the drop-in file loaded', { timeout: 60_000 });
    const el = frame.contentDocument!.querySelector('sendauth-login') as SendAuthLogin;
    el.setAttribute('username', user.email);
    await el.updateComplete;
    begin(el);
    await waitUntil(() => el.state === 'waiting', 'waiting', { timeout: 15_000 });
    const tx = await waitingTx(user.userId);
    frame.src = 'about:blank';
    await waitUntil(async () => (await notificationState(tx)) === 'cancelled', 'cancelled at SendAuth', { timeout: 5_000 });
  });

  it('a browser without WebAuthn: the button says not-supported without a request; “Use another device” signs in', async () => {
    const user = await userWithPasskeyOnPhone();
    // Where the engine has WebAuthn, take it away for this test; WebKitGTK has none to begin with.
    const descriptor = Object.getOwnPropertyDescriptor(window, 'PublicKeyCredential');
    if (descriptor) Object.defineProperty(window, 'PublicKeyCredential', { value: undefined, configurable: true, writable: true });
    try {
      await sendAuthRequests(APPROVAL, true);
      const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${APPROVAL} username=${user.email}></sendauth-login>`);
      const failed = oneEvent(el, 'sendauth-error');
      part(el, 'button')!.click();
      expect((await failed).detail.code).to.equal('not-supported');
      expect(await sendAuthRequests(APPROVAL), 'nothing asked of SendAuth').to.deep.equal([]);
      part(el, 'secondary')!.click();
      await untilState(el, 'waiting');
      const success = oneEvent(el, 'sendauth-success');
      await respondOnDevice(await waitingTx(user.userId), 'approve');
      expect((await success).detail.userId).to.equal(user.userId);
    } finally {
      if (descriptor) Object.defineProperty(window, 'PublicKeyCredential', descriptor);
    }
  });
});

describe('the waiting state, to a screen reader', () => {
  beforeEach(() => signOut());
  afterEach(async () => {
    signOut();
    await resetApprovalClock();
  });

  it('axe finds nothing while waiting', async () => {
    const user = await userWithPasskeyOnPhone();
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${APPROVAL} username=${user.email}></sendauth-login>`);
    begin(el);
    await untilState(el, 'waiting');
    expect(await axeViolations(el)).to.deep.equal([]);
    el.cancel();
  });

  it('the live region says where it went and the code, then the minutes once a minute; the timer counts every second, silently', async function () {
    this.timeout(30_000);
    const user = await userWithPasskeyOnPhone();
    // The TX expires 66 s from now (by the page's clock): the minutes go from 2 to 1 within seconds,
    // and the element has 6 s to be waiting while it still says 2, on a slow machine too.
    await advanceApprovalClock(-(5 * 60_000 - 66_000));
    const el = await fixture<SendAuthLogin>(html`<sendauth-login endpoint=${APPROVAL} username=${user.email}></sendauth-login>`);
    begin(el);
    await untilState(el, 'waiting');
    const status = part(el, 'status')!;
    expect(status.getAttribute('aria-live')).to.equal('polite');
    expect(status.textContent).to.contain(`the code ${code(el)}`);
    expect(status.textContent).to.contain('About 2 min left.');

    const announced = new Set<string>([status.textContent!.trim()]);
    const timers = new Set<string>([part(el, 'timer')!.textContent!]);
    const seen = new MutationObserver(() => {
      announced.add(status.textContent!.trim());
      timers.add(part(el, 'timer')!.textContent!);
    });
    seen.observe(el.shadowRoot!, { subtree: true, characterData: true, childList: true });
    await waitUntil(() => status.textContent!.includes('About 1 min left.'), 'the minute announced', { timeout: 12_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    seen.disconnect();
    expect([...announced].map((text) => text.replace(/.*\. /, ''))).to.deep.equal(['About 2 min left.', 'About 1 min left.']);
    expect(timers.size, `the timer ticked: ${[...timers].join(', ')}`).to.be.greaterThan(3);
    expect(part(el, 'timer')!.getAttribute('aria-live'), 'a timer is not announced by itself').to.equal(null);
    el.cancel();
  });
});
