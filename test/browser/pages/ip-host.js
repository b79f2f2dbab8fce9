// Opened as http://127.0.0.1:PORT/… inside the test page: signs in the user named by `?user=` and
// tells the test page what the element reported (its error event's detail and what it shows).
customElements.whenDefined('sendauth-login').then(async () => {
  const el = document.querySelector('sendauth-login');
  el.setAttribute('user-id', new URLSearchParams(location.search).get('user') ?? '');
  el.addEventListener('sendauth-error', async (event) => {
    await el.updateComplete;
    const shown = el.shadowRoot.querySelector('[part~="error"]')?.textContent.trim();
    parent.postMessage({ host: location.hostname, detail: event.detail, shown }, '*');
  });
  await el.updateComplete;
  el.start();
});
