export { CeremonyError, type CeremonyErrorInit } from './CeremonyError.js';
export { isCeremonyError } from './isCeremonyError.js';
export { identifyCeremonyError } from './identifyCeremonyError.js';
export { isCeremonyPreempted } from './isCeremonyPreempted.js';
export { performRegistration } from './performRegistration.js';
export { performAuthentication } from './performAuthentication.js';
export { cancelCeremony } from './cancelCeremony.js';
export { checkCeremonySupport } from './checkCeremonySupport.js';
