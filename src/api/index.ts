export { SendAuthClient, type SendAuthClientOptions } from './client.js';
export { SendAuthError, isSendAuthError, type SendAuthErrorInit } from './errors.js';
export { STATUS_CODES, type Operation } from './status-codes.js';
export { ERROR_CODES, ERROR_REGISTRY, isErrorCode, type ErrorCode, type ErrorCodeFacts } from '../error-codes.js';
// The models of the client's signatures, so `./server` users need no second import.
export type {
  Audit,
  CeremonyOptions,
  CeremonyResponse,
  CeremonyResult,
  DeletedUsersQuery,
  ListUsersQuery,
  PageQuery,
  Paginated,
  PaginatedAudits,
  PaginatedTransactions,
  PaginatedUsers,
  TagsRequest,
  Transaction,
  TransactionState,
  TransactionStatus,
  TX,
  User,
  UserInput,
  WebTX,
} from '../types.js';
// SendAuth's field rules and the one form of an address, as the proxy and the elements apply them.
export {
  EMAIL_MAX_LENGTH,
  NAME_LENGTH,
  normalizeEmail,
  normalizeName,
  normalizeUsername,
  sameUsername,
  type FieldProblem,
  type NormalizedField,
} from '../field-rules.js';
