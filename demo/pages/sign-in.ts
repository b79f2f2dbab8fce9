/**
 * Every page with a `<sendauth-login>` (sign in, theming, German): once the
 * proxy has verified the passkey it has also set the site's session cookie,
 * so the page only has to move on to the account.
 */
import { registerLanguage } from '../../src/index.js';
import { de } from '../../src/elements/locales/de.js';

// English is built in; the German page (/de) needs the German table.
registerLanguage('de', de);

document.addEventListener('sendauth-success', () => {
  window.location.assign('/account');
});

// After "Sign out" on the account page.
const notice = document.getElementById('page-notice');
if (notice && new URLSearchParams(window.location.search).has('signed-out')) {
  notice.textContent = 'You are signed out. See you soon!';
  notice.hidden = false;
}
