export { CeremonyError, isCeremonyError, type CeremonyErrorInit } from './ceremony-error.js';
export { identifyCeremonyError } from './identify-ceremony-error.js';
export { isCeremonyPreempted } from './is-ceremony-preempted.js';
export { performRegistration } from './perform-registration.js';
export { performAuthentication } from './perform-authentication.js';
export { checkCeremonySupport } from './check-ceremony-support.js';
