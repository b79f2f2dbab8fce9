/**
 * One emulator per data file. Two processes on one file would each keep
 * their own state in memory and overwrite each other's writes, losing users
 * that were confirmed with 201. So the file is locked: `<file>.lock` holds
 * the holder's PID, host name, start time and a random token, and a second
 * emulator (in this process or another) refuses to start while the holder
 * is alive. A lock whose PID is dead on this host (a crashed or killed
 * emulator) is stale and recovered.
 *
 * The lock is created whole (written to a private file, then hard-linked to
 * its name, which fails if the name exists), so nobody ever reads a
 * half-written one; a stale one is removed under a guard, so that of several
 * starters exactly one ends up holding the file. Node has no advisory file
 * locks (flock), hence the PID.
 */
import { randomUUID } from 'node:crypto';
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

/** What the lock file says. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** When the holder took the lock (ISO 8601). */
  since: string;
  /** Tells this holder's lock apart from a later one with a reused PID. */
  token: string;
}

/** Thrown by `lockDataFile` when a live process holds the file. */
export class DataFileInUseError extends Error {
  override readonly name = 'DataFileInUseError';
  constructor(
    readonly dataFile: string,
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.hostname === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on host ${holder.hostname}`;
    super(
      `Emulator data file ${dataFile} is in use by ${where} (since ${holder.since}; lock ${lockFile}). ` +
        `Two emulators on one file would lose each other's changes: stop that one, or use another --data-file. ` +
        `If no emulator runs there, delete the lock file.`,
    );
  }
}

/** A lock file that is not an emulator's is left alone while younger than this; older, it counts as stale. */
const UNREADABLE_GRACE_MS = 5_000;
/** A recovery guard is held for a few file operations; one this old was abandoned. */
const GUARD_STALE_MS = 10_000;
/** Tries to take the lock, waiting `RETRY_MS` between tries while another starter recovers a stale one. */
const ATTEMPTS = 100;
const RETRY_MS = 20;

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (value && Number.isSafeInteger(value.pid) && typeof value.hostname === 'string' && typeof value.since === 'string' && typeof value.token === 'string') {
      return value as LockHolder;
    }
  } catch {
    // falls through: not a lock this emulator wrote
  }
  return undefined;
}

/** Whether the holder may still be running. On another host that cannot be told, so it counts as alive. */
function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  try {
    process.kill(holder.pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, but not ours to signal
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes the stale lock (content `staleText`) under a short-lived guard,
 * `<lock>.recovering`, so that of several starters only one removes it, and
 * only while it is still the stale one (never a fresh lock another starter
 * has just taken). A guard older than `GUARD_STALE_MS` was left by a starter
 * that died mid-recovery and is removed. Returns false when another starter
 * holds the guard (try again shortly).
 */
async function removeStaleLock(lockFile: string, staleText: string): Promise<boolean> {
  const guard = `${lockFile}.recovering`;
  try {
    await writeFile(guard, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = Date.now() - (await stat(guard).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > GUARD_STALE_MS) await rm(guard, { force: true });
    return false;
  }
  try {
    if ((await readText(lockFile)) === staleText) await rm(lockFile, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

/** A held lock; `release` removes it (only if it is still this holder's). */
export class DataFileLock {
  private released = false;
  private readonly onExit = (): void => {
    // A process that exits without closing the emulator leaves no lock behind (a killed one does: that is a stale lock).
    try {
      if (parseHolder(readFileSync(this.lockFile, 'utf8'))?.token === this.holder.token) rmSync(this.lockFile, { force: true });
    } catch {
      // nothing to clean up
    }
  };

  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    process.once('exit', this.onExit);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    const text = await readText(this.lockFile);
    if (text !== undefined && parseHolder(text)?.token === this.holder.token) await rm(this.lockFile, { force: true });
  }
}

/**
 * Takes the lock of `dataFile` (`<dataFile>.lock`) for this process.
 * @throws DataFileInUseError while a live process holds it (this one
 *   included: one file, one emulator); a file-system error (e.g. ENOENT for a
 *   missing directory) as is.
 */
export async function lockDataFile(dataFile: string): Promise<DataFileLock> {
  const lockFile = `${dataFile}.lock`;
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString(), token: randomUUID() };
  const draft = `${lockFile}.new-${process.pid}-${holder.token}`;
  await writeFile(draft, `${JSON.stringify(holder)}\n`, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await link(draft, lockFile);
        return new DataFileLock(lockFile, holder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const text = await readText(lockFile);
      if (text === undefined) continue; // released meanwhile
      const current = parseHolder(text);
      if (current === undefined) {
        const age = Date.now() - (await stat(lockFile).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
        if (age < UNREADABLE_GRACE_MS) {
          throw new Error(`Emulator data file ${dataFile} has a lock file (${lockFile}) that is not an emulator's; delete it if no emulator runs on the file`);
        }
      } else if (isAlive(current)) {
        throw new DataFileInUseError(dataFile, lockFile, current);
      }
      if (!(await removeStaleLock(lockFile, text))) await delay(RETRY_MS);
    }
    throw new Error(`Could not lock emulator data file ${dataFile}: its lock file ${lockFile} kept changing`);
  } finally {
    await rm(draft, { force: true });
  }
}
