/**
 * The browser entry of @sendauth/elements: importing it defines
 * `<sendauth-login>`, `<sendauth-register>` and `<sendauth-approve>` (and the drop-in
 * `sendauth-elements.iife.js` is this file bundled). Safe to import in Node
 * for server-side rendering: defining is skipped where there is no registry.
 */
import './elements/login/define.js';
import './elements/register/define.js';
import './elements/approve/define.js';

export { SendAuthLogin } from './elements/login/sendauth-login.js';
export { SendAuthRegister } from './elements/register/sendauth-register.js';
export { SendAuthApprove } from './elements/approve/sendauth-approve.js';
export type { SendAuthCeremonyElement } from './elements/sendauth-ceremony-element.js';

export type {
  CeremonyState,
  SendAuthCancelDetail,
  SendAuthCancelEvent,
  SendAuthErrorDetail,
  SendAuthErrorEvent,
  SendAuthEventMap,
  SendAuthStateDetail,
  SendAuthStateEvent,
  SendAuthSuccessDetail,
  SendAuthSuccessEvent,
} from './elements/events.js';
export { getStrings, registerLanguage, setStrings } from './elements/strings.js';
export type { SendAuthStrings, SendAuthStringsOverride } from './elements/strings.js';
export type {
  SendAuthApproveAttributes,
  SendAuthCeremonyAttributes,
  SendAuthElementType,
  SendAuthElementTypes,
  SendAuthLoginAttributes,
  SendAuthRegisterAttributes,
} from './elements/element-types.js';

export { ProxyClient, ProxyError, isProxyError } from './client/index.js';
export type { ProxyClientOptions } from './client/index.js';
export { ERROR_CODES, ERROR_REGISTRY, RETRYABLE, isErrorCode, isRetryable } from './error-codes.js';
export type { ErrorCode, ErrorCodeFacts } from './error-codes.js';
export type { CeremonyKind } from './types.js';
