/**
 * The respond page of a TX (the page SendAuth's notification links to): the
 * TX's message, and Approve (a WebAuthn ceremony: assertion for an
 * authentication TX, attestation for a registration TX) and Deny. Rendered
 * here; run by `/assets/respond.js`.
 */
import type { CeremonyKind, TransactionState } from '../../types.js';
import { escapeHtml, renderPage } from './html.js';

/** What the page says about a TX that is no longer pending; also the `message` of the respond endpoints' answers. */
export const STATE_TEXT: Record<Exclude<TransactionState, 'pending'>, string> = {
  verified: 'This request was approved. You can close this page.',
  denied: 'This request was denied. You can close this page.',
  cancelled: 'This request was cancelled where it was made. You can close this page.',
  expired: 'This request expired. Start again where you made it.',
};

const TEXT: Record<CeremonyKind, { title: string; approve: string }> = {
  authentication: { title: 'Approve this request?', approve: 'Approve with your passkey' },
  registration: { title: 'Create your passkey', approve: 'Create a passkey' },
};

export interface RespondPageData {
  tx: string;
  secret: string;
  kind: CeremonyKind;
  state: TransactionState;
  message: string;
  /** Whose request it is, e.g. `Ada Lovelace (ada@example.com)`. */
  subject: string;
  expiresAt: string;
  /** The relying party's name, shown as the service. */
  rpName: string;
}

export function renderRespondPage(data: RespondPageData): string {
  const text = TEXT[data.kind];
  const pending = data.state === 'pending';
  const attributes =
    ` data-tx="${escapeHtml(data.tx)}" data-secret="${escapeHtml(data.secret)}"` +
    ` data-kind="${escapeHtml(data.kind)}" data-state="${escapeHtml(data.state)}"`;
  const main = `<p class="service">${escapeHtml(data.rpName)}</p>
<h1>${escapeHtml(text.title)}</h1>
<p class="subject">For ${escapeHtml(data.subject)}</p>
<blockquote id="message">${escapeHtml(data.message)}</blockquote>
<p class="expiry">Expires at <time id="expires" datetime="${escapeHtml(data.expiresAt)}">${escapeHtml(data.expiresAt)}</time>.</p>
<div class="actions"${pending ? '' : ' hidden'}>
<button id="approve" type="button" disabled>${escapeHtml(text.approve)}</button>
<button id="deny" type="button" class="secondary" disabled>Deny</button>
</div>
<p id="status" role="status">${data.state === 'pending' ? '' : escapeHtml(STATE_TEXT[data.state])}</p>
<p id="error" role="alert" hidden></p>`;
  return renderPage({ title: `${text.title} · ${data.rpName}`, main, mainAttributes: attributes, script: 'respond.js' });
}

/** The page for a link that is wrong: unknown TX, or a missing or wrong secret (the same page, so it says nothing about the TX). */
export function renderInvalidLinkPage(): string {
  return renderPage({
    title: 'Invalid link',
    main: `<h1>This link is not valid</h1>
<p id="error" role="alert">Open the link exactly as it was sent to you; it may be incomplete.</p>`,
  });
}
