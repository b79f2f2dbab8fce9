// The outbox page: reads /outbox.json every second while the tab is visible and shows it,
// newest first. Text goes in through textContent only (a message is whatever the site sent).

const POLL_MS = 1000;
const KIND = { authentication: 'Approval request', registration: 'Passkey enrolment' };
const CHANNEL = { email: 'email', sms: 'SMS' };

const list = document.getElementById('entries');
const count = document.getElementById('count');
let shown = '';

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function recipient(entry) {
  if (entry.channels.length === 0) return 'Not sent: the user has no email address or phone number';
  const to = entry.channels.map((channel) => `${channel === 'sms' ? entry.phone : entry.email} by ${CHANNEL[channel]}`);
  return `To ${to.join(' and ')}`;
}

function entryItem(entry) {
  const item = element('li');
  item.dataset.tx = entry.tx;
  item.dataset.state = entry.state;
  const head = element('div', 'head');
  head.append(element('span', 'kind', KIND[entry.kind] ?? entry.kind));
  const state = element('span', 'state', entry.state);
  state.dataset.state = entry.state;
  head.append(state);
  const time = element('time', 'meta', new Date(entry.createdAt).toLocaleTimeString());
  time.dateTime = entry.createdAt;
  head.append(time);
  item.append(head);
  item.append(element('p', 'meta', `${recipient(entry)} · TX ${entry.tx}`));
  item.append(element('p', 'message', entry.message));
  const link = element('a', 'link', 'Open the respond page');
  link.href = entry.link;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  item.append(link);
  return item;
}

function render(entries) {
  // Keep the keyboard focus on the same link across a redraw.
  const focused = document.activeElement?.closest?.('li[data-tx]')?.dataset.tx;
  list.replaceChildren(...entries.map(entryItem));
  if (focused) list.querySelector(`li[data-tx="${CSS.escape(focused)}"] a`)?.focus();
  count.textContent = entries.length === 0 ? 'No notifications yet.' : `${entries.length} notification${entries.length === 1 ? '' : 's'}`;
}

async function poll() {
  try {
    if (document.visibilityState !== 'hidden') {
      const response = await fetch('/outbox.json', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      if (text !== shown) {
        render(JSON.parse(text));
        shown = text;
      }
    }
  } catch (error) {
    count.textContent = `Could not read the outbox (${error instanceof Error ? error.message : String(error)}); trying again…`;
    shown = '';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

poll();
