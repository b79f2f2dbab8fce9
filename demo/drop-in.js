// The drop-in page's only script of its own: plain JavaScript, no bundler, no
// imports. /sendauth-elements.iife.js (loaded before this one) has already
// defined the elements. The proxy set the session cookie; go to the account.
document.addEventListener('sendauth-success', function () {
  window.location.assign('/account');
});
