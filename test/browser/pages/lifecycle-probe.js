// Records the page's own comings and goings, and every request to the proxy with its answer, for
// test/browser/elements/lifecycle.test.ts (an external file: these pages run under a strict CSP).
window.lifecycle = { transitions: [], requests: [], events: [] };
for (const type of ['pageshow', 'pagehide']) {
  window.addEventListener(type, (event) => window.lifecycle.transitions.push(`${type}${event.persisted ? ' persisted' : ''}`));
}
for (const type of ['sendauth-state', 'sendauth-cancel', 'sendauth-success', 'sendauth-error']) {
  document.addEventListener(type, (event) => window.lifecycle.events.push(type === 'sendauth-state' ? event.detail.state : type));
}
const originalFetch = window.fetch.bind(window);
window.fetch = async (resource, init) => {
  const record = { method: init?.method ?? 'GET', url: String(resource), keepalive: init?.keepalive === true };
  window.lifecycle.requests.push(record);
  const response = await originalFetch(resource, init);
  record.answer = await response.clone().json().catch(() => undefined);
  return response;
};
