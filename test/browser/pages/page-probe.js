// Loaded first by every page in this folder (an external file: the pages run
// under a CSP that forbids inline scripts). Records what the tests check:
// CSP violations and uncaught errors, from the very start of the page.
window.probe = { violations: [], errors: [], warnings: [] };
document.addEventListener('securitypolicyviolation', (event) => {
  window.probe.violations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'}`);
});
window.addEventListener('error', (event) => {
  window.probe.errors.push(String(event.message));
});
const warn = console.warn.bind(console);
console.warn = (...args) => {
  window.probe.warnings.push(args.map(String).join(' '));
  warn(...args);
};
