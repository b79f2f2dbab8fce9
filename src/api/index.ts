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
