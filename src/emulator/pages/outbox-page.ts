/**
 * The outbox page: every notification the emulator "sent", newest first,
 * kept up to date by `/assets/outbox.js` (it polls `/outbox.json`).
 */
import { escapeHtml, renderPage } from './html.js';

export function renderOutboxPage(rpName: string): string {
  const main = `<p class="service">${escapeHtml(rpName)}</p>
<h1>Outbox</h1>
<p class="intro">The notifications SendAuth would send by email or SMS, newest first. Open a link to approve or deny its request as the user would on their own device.</p>
<p id="count" role="status">Loading…</p>
<noscript><p>This page needs JavaScript to update itself; the same list is at <a href="/outbox.json">/outbox.json</a>.</p></noscript>
<ol id="entries" class="entries"></ol>`;
  return renderPage({ title: `Outbox · ${rpName}`, main, script: 'outbox.js' });
}
