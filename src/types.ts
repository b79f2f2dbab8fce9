/**
 * Shared types: the SendAuth models (field names exactly as on the wire in
 * `openapi.yaml`) and the assumed ceremony endpoints' bodies. The element ↔
 * proxy protocol is `wire.ts`, the error codes `error-codes.ts`. Used by
 * browser and server code, so this file imports nothing at run time.
 */

// Type-only: erased at build time, so this file still pulls in no code.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
};

// The field rules (UUID, email, name lengths, base64url) live in `field-rules.ts`, once.

// ─── SendAuth models (openapi.yaml, components/schemas) ────────────────────

export type UserRole = 'admin' | 'user' | 'super_admin';
export type MessagingPreference = 'email' | 'sms' | 'both';

export interface Company {
  id?: string;
  orgID?: string;
  name?: string;
  createdAt?: string;
}

/** `User`. `id`, `username`, `hasPasskeys`, `createdAt`, `lastAuthenticated` are read-only. */
export interface User {
  readonly id?: string;
  role?: UserRole;
  readonly username?: string;
  /** 2–50 characters. */
  firstName: string;
  /** 2–50 characters. */
  lastName: string;
  /** An email address, at most 256 characters. */
  email?: string;
  /** At most 20 characters. */
  phone?: string;
  company?: Company;
  /** Each at most 64 characters. */
  permissions?: string[];
  groupPermissions?: string[];
  /** UUIDs. */
  permissionGroups?: string[];
  messagingPreference?: MessagingPreference;
  readonly hasPasskeys?: boolean;
  readonly createdAt?: string;
  readonly lastAuthenticated?: string;
}

/** What a caller may send to create or update a user: the read-only fields left out. */
export type UserInput = Omit<User, 'id' | 'username' | 'hasPasskeys' | 'createdAt' | 'lastAuthenticated'>;

/** `TX`: the id of a transaction. */
export interface TX {
  tx: string;
}

/** `WebTX`: optional body of `authenticate`. */
export interface WebTX {
  /** At most 1024 characters. */
  message?: string;
  /** At most 64 characters. */
  connectwise?: string;
}

export const TRANSACTION_STATES = ['pending', 'verified', 'denied', 'cancelled', 'expired'] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];

/** `Transaction`. */
export interface Transaction {
  id: string;
  /** The subject user's id. */
  subject: string;
  subjectName?: string;
  state: TransactionState;
  completedAt?: string;
  requestor?: string;
  context?: string;
  createdAt: string;
  expiresAt: string;
  message?: string;
  userMessage?: string;
}

/** `checkTransactionStatus_200_response`. */
export interface TransactionStatus {
  state: TransactionState;
}

/** `Audit`. Note `created_at`: snake case on the wire, as in the spec. */
export interface Audit {
  subject?: string;
  name?: string;
  type?: string;
  actor?: string;
  action?: string;
  extras?: Record<string, string>;
  created_at?: string;
}

/** `PaginatedUsers`, `PaginatedAudits`, `PaginatedTransactions`. */
export interface Paginated<T> {
  rows: T[];
  total: number;
}
export type PaginatedUsers = Paginated<User>;
export type PaginatedAudits = Paginated<Audit>;
export type PaginatedTransactions = Paginated<Transaction>;

/** `TagsRequest`. */
export interface TagsRequest {
  tags?: Record<string, string>;
}

/**
 * `Error` / `ValidationError`: the body of SendAuth's error answers. The
 * ceremony endpoints (assumed, see below) add the TX's `state` when the TX exists.
 */
export interface SendAuthErrorBody {
  error: string;
  details?: string[];
  /** `ValidationError`: the field that failed. */
  field?: string;
  value?: string;
  state?: TransactionState;
}

/** Query of `getUserAudits`, `getUserTransactions`. */
export interface PageQuery {
  /** 1-based. @default 1 */
  page?: number;
  /** 1–100. @default 20 */
  perPage?: number;
  /** Free-text search. */
  q?: string;
}

/** Query of `listDeletedUsers`. */
export interface DeletedUsersQuery extends PageQuery {
  permission?: string;
}

/** Query of `listUsers`. */
export interface ListUsersQuery extends DeletedUsersQuery {
  sortBy?: string;
  sortDir?: 'asc' | 'desc';
}

// ─── The assumed ceremony endpoints (DESIGN.md, "The ceremony endpoints") ──

export type CeremonyKind = 'registration' | 'authentication';

export type CeremonyOptions =
  | { kind: 'registration'; options: PublicKeyCredentialCreationOptionsJSON; expiresAt: string }
  | { kind: 'authentication'; options: PublicKeyCredentialRequestOptionsJSON; expiresAt: string };

/** Body of `POST /api/v1/transactions/{txID}/webauthn`. */
export type CeremonyResponse = RegistrationResponseJSON | AuthenticationResponseJSON;

/** Answer of `POST /api/v1/transactions/{txID}/webauthn`. */
export interface CeremonyResult {
  state: TransactionState;
}
