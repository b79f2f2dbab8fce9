/**
 * What the emulator keeps: the records behind the public models of
 * `types.ts`, with the fields SendAuth never shows (soft-delete time, tags,
 * passkeys, the stored WebAuthn challenge). This is also the shape of the
 * `dataFile` on disk.
 */
import type {
  Audit,
  CeremonyKind,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  UserInput,
} from '../types.js';

/** A user: the writable `User` fields, the read-only ones as stored, and what SendAuth never shows. */
export interface StoredUser extends UserInput {
  id: string;
  username: string;
  hasPasskeys: boolean;
  createdAt: string;
  lastAuthenticated?: string;
  /** Set while the user is soft-deleted. */
  deletedAt?: string;
  /** `PUT users/{id}/tags`: not part of the `User` model, so never shown in it. */
  tags: Record<string, string>;
}

/** A registered WebAuthn credential. Binary fields are base64url. */
export interface StoredPasskey {
  /** Credential id, base64url. */
  id: string;
  userId: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports?: string[];
  createdAt: string;
}

/** The ceremony a TX runs, fixed when its options are first handed out. */
export type StoredCeremony =
  | { kind: 'registration'; challenge: string; options: PublicKeyCredentialCreationOptionsJSON }
  | { kind: 'authentication'; challenge: string; options: PublicKeyCredentialRequestOptionsJSON };

/**
 * A transaction as stored. `state` is never `expired` here: expiry is worked
 * out on read from `expiresAt` and the clock (see `transactionState`).
 */
export interface StoredTransaction {
  id: string;
  kind: CeremonyKind;
  subject: string;
  subjectName: string;
  state: 'pending' | 'verified' | 'denied' | 'cancelled';
  requestor: string;
  createdAt: string;
  expiresAt: string;
  completedAt?: string;
  message?: string;
  connectwise?: string;
  ceremony?: StoredCeremony;
  /** The notification SendAuth sent for this TX (the outbox entry and its respond-page link). */
  notification?: StoredNotification;
}

/** Where SendAuth sends a notification, by the user's `messagingPreference`. */
export type NotificationChannel = 'email' | 'sms';

/**
 * The notification of a TX, as sent: the secret of its respond-page link and
 * the addresses it went to (copied at send time; a later change of the user's
 * email does not rewrite what was sent).
 */
export interface StoredNotification {
  /** 256 random bits, base64url: the respond page refuses the TX without it. */
  secret: string;
  channels: NotificationChannel[];
  email?: string;
  phone?: string;
}

export interface StoredAudit extends Audit {
  subject: string;
  action: AuditAction;
  created_at: string;
}

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'restore',
  'tags',
  'register-start',
  'authenticate-start',
  'passkey-registered',
  'authenticated',
  'denied',
  'cancelled',
  'passkey-removed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Everything the emulator knows; written whole to `dataFile` after each change. */
export interface EmulatorState {
  version: 1;
  /** The admin user that stands for the API account itself (cannot delete itself). */
  accountUserId: string;
  users: StoredUser[];
  passkeys: StoredPasskey[];
  transactions: StoredTransaction[];
  /** Oldest first. */
  audits: StoredAudit[];
}
