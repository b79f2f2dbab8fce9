/**
 * Atomic JSON files: a write goes to `<file>.tmp-<pid>-<n>`, is flushed to
 * disk, then renamed over the file. A rename replaces the file in one step, so
 * a crash mid-write leaves the previous complete file, never a truncated one.
 * Writes are queued, so an older snapshot never lands after a newer one.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';

export class AtomicJsonFile {
  private queue: Promise<void> = Promise.resolve();
  private writes = 0;

  constructor(readonly path: string) {}

  /** The parsed file, or `undefined` when it does not exist. Throws if it is not JSON. */
  async read(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`Emulator data file ${this.path} is not valid JSON`, { cause: error });
    }
  }

  /**
   * Queues a write. `snapshot` runs when the write's turn comes, so it
   * serializes the newest state; the promise settles once that is on disk.
   */
  write(snapshot: () => unknown): Promise<void> {
    const done = this.queue.then(() => this.writeNow(JSON.stringify(snapshot(), null, 2) + '\n'));
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** Settles when every queued write has finished. */
  flush(): Promise<void> {
    return this.queue;
  }

  private async writeNow(text: string): Promise<void> {
    this.writes += 1;
    const tmp = `${this.path}.tmp-${process.pid}-${this.writes}`;
    try {
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
