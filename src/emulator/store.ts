/**
 * The emulator's state: users (live and soft-deleted), passkeys,
 * transactions and audits, in memory, optionally mirrored to a JSON file
 * (loaded on start, rewritten atomically after each change).
 */
import { randomUUID } from 'node:crypto';
import { lockDataFile, type DataFileLock } from './data-file-lock.js';
import { AtomicJsonFile } from './json-file.js';
import type { AuditAction, EmulatorState, StoredAudit, StoredPasskey, StoredTransaction, StoredUser } from './model.js';
import { checkState } from './state-schema.js';
import { displayName } from './users.js';

export interface StoreOptions {
  now: () => number;
  /** Mirror the state to this file. */
  dataFile?: string;
  /** Username of the seeded account user (the basic-auth username). */
  accountUsername: string;
}

export class EmulatorStore {
  private constructor(
    private readonly state: EmulatorState,
    private readonly file: AtomicJsonFile | undefined,
    readonly now: () => number,
  ) {}

  /** The lock of `dataFile`, held from `open` to `close`. */
  private lock: DataFileLock | undefined;

  /**
   * Locks and loads `dataFile` if it exists; otherwise starts with only the
   * account user (and writes the file).
   * @throws DataFileInUseError while another live emulator holds `dataFile`;
   *   an Error naming the bad value's path when the file is not a valid state.
   */
  static async open(options: StoreOptions): Promise<EmulatorStore> {
    const lock = options.dataFile === undefined ? undefined : await lockDataFile(options.dataFile);
    try {
      const store = await EmulatorStore.load(options);
      store.lock = lock;
      return store;
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  private static async load(options: StoreOptions): Promise<EmulatorStore> {
    const file = options.dataFile === undefined ? undefined : new AtomicJsonFile(options.dataFile);
    const loaded = file === undefined ? undefined : await file.read();
    if (loaded !== undefined) {
      return new EmulatorStore(checkState(loaded, options.dataFile ?? ''), file, options.now);
    }
    const store = new EmulatorStore(seedState(options.accountUsername, options.now()), file, options.now);
    await store.save();
    return store;
  }

  get accountUserId(): string {
    return this.state.accountUserId;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Writes the state to `dataFile` (no-op without one). Call after each change, before answering. */
  save(): Promise<void> {
    return this.file === undefined ? Promise.resolve() : this.file.write(() => this.state);
  }

  /** Waits for queued writes, then releases the data file's lock. */
  async close(): Promise<void> {
    try {
      await this.file?.flush();
    } finally {
      await this.lock?.release();
    }
  }

  // ─── users ───

  liveUsers(): StoredUser[] {
    return this.state.users.filter((u) => u.deletedAt === undefined);
  }

  deletedUsers(): StoredUser[] {
    return this.state.users.filter((u) => u.deletedAt !== undefined);
  }

  findLiveUser(id: string): StoredUser | undefined {
    return this.state.users.find((u) => u.id === id && u.deletedAt === undefined);
  }

  findDeletedUser(id: string): StoredUser | undefined {
    return this.state.users.find((u) => u.id === id && u.deletedAt !== undefined);
  }

  addUser(user: StoredUser): void {
    this.state.users.push(user);
  }

  /** Removes the user for good, with everything that belongs to them. */
  destroyUser(id: string): void {
    this.state.users = this.state.users.filter((u) => u.id !== id);
    this.state.passkeys = this.state.passkeys.filter((p) => p.userId !== id);
    this.state.transactions = this.state.transactions.filter((t) => t.subject !== id);
    this.state.audits = this.state.audits.filter((a) => a.subject !== id);
  }

  // ─── passkeys ───

  passkeysOf(userId: string): StoredPasskey[] {
    return this.state.passkeys.filter((p) => p.userId === userId);
  }

  /** Any user's passkey with this credential id. */
  findPasskey(credentialId: string): StoredPasskey | undefined {
    return this.state.passkeys.find((p) => p.id === credentialId);
  }

  addPasskey(passkey: StoredPasskey): void {
    this.state.passkeys.push(passkey);
  }

  removePasskeysOf(userId: string): number {
    const before = this.state.passkeys.length;
    this.state.passkeys = this.state.passkeys.filter((p) => p.userId !== userId);
    return before - this.state.passkeys.length;
  }

  // ─── transactions ───

  private readonly transactionAddedListeners: ((tx: StoredTransaction) => void)[] = [];

  /** Calls `listener` with each TX as it is added (the outbox tells `onNotification`). */
  onTransactionAdded(listener: (tx: StoredTransaction) => void): void {
    this.transactionAddedListeners.push(listener);
  }

  addTransaction(tx: StoredTransaction): void {
    this.state.transactions.push(tx);
    for (const listener of this.transactionAddedListeners) listener(tx);
  }

  /** Every TX, newest first. */
  allTransactions(): StoredTransaction[] {
    return [...this.state.transactions].reverse();
  }

  findTransaction(id: string): StoredTransaction | undefined {
    return this.state.transactions.find((t) => t.id === id);
  }

  /** Newest first. */
  transactionsOf(userId: string): StoredTransaction[] {
    return this.state.transactions.filter((t) => t.subject === userId).reverse();
  }

  // ─── audits ───

  /** Records `action` on `user` by `actor`. */
  audit(user: StoredUser, action: AuditAction, actor: string, extras?: Record<string, string>): void {
    const entry: StoredAudit = {
      subject: user.id,
      name: displayName(user),
      type: 'user',
      actor,
      action,
      created_at: this.nowIso(),
    };
    if (extras !== undefined && Object.keys(extras).length > 0) entry.extras = { ...extras };
    this.state.audits.push(entry);
  }

  /** Newest first. */
  auditsOf(userId: string): StoredAudit[] {
    return this.state.audits.filter((a) => a.subject === userId).reverse();
  }
}

function seedState(accountUsername: string, now: number): EmulatorState {
  const account: StoredUser = {
    id: randomUUID(),
    role: 'admin',
    username: accountUsername,
    firstName: 'API',
    lastName: 'Account',
    hasPasskeys: false,
    createdAt: new Date(now).toISOString(),
    tags: {},
  };
  return { version: 1, accountUserId: account.id, users: [account], passkeys: [], transactions: [], audits: [] };
}
