/**
 * Sign-up: `<sendauth-register signup>` creates the account and its passkey
 * in one go; the proxy's `onVerified` signs the new user in, so the page
 * moves on to the account.
 */
import '../../src/index.js';

document.addEventListener('sendauth-success', () => {
  window.location.assign('/account?welcome');
});
