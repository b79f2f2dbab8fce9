/**
 * A real, throwaway `redis-server` (Debian package; `scripts/ensure-redis.sh`
 * installs it) for the tests: a free loopback port, a temporary directory, no
 * persistence (TOOLCHAIN.md), stopped by its PID. `kill()` stops it the hard
 * way mid-run and `restart()` brings it back on the same port, as an outage
 * and its end look to the proxies.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';

/** Where the tests look for the server; `REDIS_SERVER` overrides. */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER ?? 'redis-server';

/** Why Redis tests cannot run here, or `undefined` when `redis-server` is installed. */
export function redisServerMissing(): string | undefined {
  const probe = spawnSync(REDIS_SERVER_BIN, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `${REDIS_SERVER_BIN} is not installed (run scripts/ensure-redis.sh, or set REDIS_SERVER)`;
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The running server's PID; `undefined` while it is down. */
  readonly pid: number | undefined;
  /** Stops it at once (SIGKILL) and waits until it has exited: an outage. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`) and waits until it accepts connections. */
  restart(): Promise<void>;
  /** Stops it (SIGTERM, by PID) and removes its directory. */
  stop(): Promise<void>;
}


/** Starts `redis-server` and resolves once it logs that it accepts connections. */
function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${log}`)), 10_000);
    const onExit = (code: number | null): void => fail(new Error(`redis-server exited (${code}) before it was ready:\n${log}`));
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(error);
    };
    const read = (chunk: Buffer): void => {
      log += chunk.toString();
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout?.off('data', read);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => void (log += chunk.toString()));
    child.once('error', (error) => fail(new Error(`${REDIS_SERVER_BIN} could not be started: ${error.message}`)));
    child.once('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts a throwaway `redis-server` on a free loopback port. Throws when it is not installed. */
export async function startRedisServer(): Promise<RedisServer> {
  const missing = redisServerMissing();
  if (missing) throw new Error(missing);
  const dir = await mkdtemp(path.join(tmpdir(), 'sendauth-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, dir);
  // Never leave a server behind, even when the test process ends abruptly.
  const killOnExit = (): void => void child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (!child) return;
    const running = child;
    child = undefined;
    if (running.pid !== undefined) process.kill(running.pid, signal);
    await exited(running);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    kill: () => stopWith('SIGKILL'),
    async restart() {
      if (child) throw new Error('redis-server is still running');
      child = await launch(port, dir);
    },
    async stop() {
      await stopWith('SIGTERM');
      process.off('exit', killOnExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The two calls of a node-redis client `keysWithoutTtl` makes. */
interface ScanningClient {
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
  pTTL(key: string): Promise<number>;
}

/** Every key matching `pattern` (SCAN, not KEYS) and those of them with no TTL (PTTL -1). */
export async function keysWithoutTtl(client: ScanningClient, pattern = '*'): Promise<{ keys: string[]; withoutTtl: string[] }> {
  const keys: string[] = [];
  const withoutTtl: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 100 })) {
    for (const key of batch) {
      keys.push(key);
      if ((await client.pTTL(key)) === -1) withoutTtl.push(key);
    }
  }
  return { keys, withoutTtl };
}
