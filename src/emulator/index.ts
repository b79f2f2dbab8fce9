/**
 * A local SendAuth: the Users API, transaction check/cancel and the assumed
 * ceremony endpoints over HTTP with basic auth, real WebAuthn verification,
 * state in memory or in a JSON file; and SendAuth's notifications: an outbox
 * (`/outbox`) and a respond page per TX, where a person approves with a
 * passkey or denies. For the demo and for tests; no account, no network.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createEmulatorApp } from './app.js';
import { answerClientErrors } from './client-error.js';
import { createOutbox, publicUrlResolver, type OutboxEntry } from './outbox.js';
import { EmulatorStore } from './store.js';
import type { RelyingParty } from './webauthn.js';
import { EMULATOR_DEFAULTS } from './defaults.js';

export interface EmulatorOptions {
  /** Port to listen on; `0` picks a free one. @default 8787 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** WebAuthn relying party id. @default 'localhost' */
  rpID?: string;
  /** WebAuthn relying party name, shown by authenticators. @default 'SendAuth Emulator' */
  rpName?: string;
  /**
   * Origins accepted in `clientDataJSON.origin`, e.g. `['http://localhost:5173']`.
   * @default any `http://localhost[:port]` or `https://localhost[:port]` origin
   */
  origins?: string[];
  /** Basic-auth username; also the `actor` of audits and `requestor` of transactions. @default 'sendauth' */
  username?: string;
  /** Basic-auth password. @default 'sendauth-emulator' */
  password?: string;
  /**
   * Keep the state in this JSON file: loaded on start (created if missing),
   * rewritten atomically after each change, so it survives a restart.
   * @default in memory only
   */
  dataFile?: string;
  /** Clock in ms (tests inject one to expire transactions without sleeping). @default Date.now */
  now?: () => number;
  /** How long a transaction stays pending. @default 300_000 (5 minutes) */
  txTtlMs?: number;
  /**
   * Serve the assumed ceremony endpoints (`GET/POST /api/v1/transactions/{txID}/webauthn`, DESIGN.md).
   * `false` serves exactly SendAuth's public spec: they answer 404 like any unknown endpoint, and a TX
   * is approved only on its respond page. @default true
   */
  ceremonyEndpoints?: boolean;
  /**
   * Where a person's browser reaches the emulator's pages: the base of every outbox link and the only
   * origin the respond page's ceremonies accept. http(s), no path; its host must be `rpID` or a
   * subdomain of it. @default `http://{rpID}:{port}` (so `http://localhost:8787`, never 127.0.0.1)
   */
  publicUrl?: string;
  /** Told of each notification as it is sent (the CLI prints its link). An exception is logged, never fails the request. */
  onNotification?: (entry: OutboxEntry) => void;
}

export interface RunningEmulator {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  /** The seeded admin user that stands for the API account itself (cannot be deleted). */
  accountUserId: string;
  /** Where a person's browser opens the emulator's pages, e.g. `http://localhost:8787` (see `EmulatorOptions.publicUrl`). */
  publicUrl: string;
  /** The outbox page, `{publicUrl}/outbox`; its JSON is `{publicUrl}/outbox.json`. */
  outboxUrl: string;
  /** Every notification sent so far, newest first, as `GET /outbox.json` answers. */
  outbox(): OutboxEntry[];
  /** Stops listening, drops open connections, and waits for pending writes of `dataFile`. */
  close(): Promise<void>;
}

export { EMULATOR_DEFAULTS };

/** Any http(s) origin on host `localhost`, any port. */
function isLocalhostOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === 'localhost' && url.origin === origin;
  } catch {
    return false;
  }
}

function originPolicy(origins: string[] | undefined): (origin: string) => boolean {
  if (origins === undefined) return isLocalhostOrigin;
  // Normalized once, so `http://localhost:3000/` in the options matches `http://localhost:3000`.
  const allowed = new Set(
    origins.map((origin) => {
      try {
        return new URL(origin).origin;
      } catch {
        throw new TypeError(`startEmulator: origins must be URLs, got ${JSON.stringify(origin)}`);
      }
    }),
  );
  return (origin) => allowed.has(origin);
}

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? EMULATOR_DEFAULTS.host;
  const username = options.username ?? EMULATOR_DEFAULTS.username;
  const txTtlMs = options.txTtlMs ?? EMULATOR_DEFAULTS.txTtlMs;
  if (!(Number.isFinite(txTtlMs) && txTtlMs > 0)) throw new RangeError('startEmulator: txTtlMs must be a positive number');

  const rp: RelyingParty = {
    rpID: options.rpID ?? EMULATOR_DEFAULTS.rpID,
    rpName: options.rpName ?? EMULATOR_DEFAULTS.rpName,
    isAllowedOrigin: originPolicy(options.origins),
  };
  const publicUrlFor = publicUrlResolver(options.publicUrl, rp.rpID);
  const store = await EmulatorStore.open({
    now: options.now ?? Date.now,
    accountUsername: username,
    ...(options.dataFile === undefined ? {} : { dataFile: options.dataFile }),
  });
  let publicUrl = ''; // known once listening (the port may be 0)
  const outbox = createOutbox({ store, publicUrl: () => publicUrl, onNotification: options.onNotification });
  const app = createEmulatorApp({
    store,
    rp,
    txTtlMs,
    outbox,
    publicUrl: () => publicUrl,
    username,
    password: options.password ?? EMULATOR_DEFAULTS.password,
    ceremonyEndpoints: options.ceremonyEndpoints ?? EMULATOR_DEFAULTS.ceremonyEndpoints,
  });

  // node:http + getRequestListener rather than `serve`, which takes no errorHandler: a request Node
  // cannot turn into a Fetch Request (a bad Host header) still gets a JSON error, like every other.
  const server = createServer(
    getRequestListener(app.fetch, {
      hostname: host,
      errorHandler: (error) => Response.json({ error: `The request could not be read: ${error instanceof Error ? error.message : String(error)}` }, { status: 400 }),
    }),
  );
  answerClientErrors(server);
  server.listen(options.port ?? EMULATOR_DEFAULTS.port, host);
  // A port already taken: release the data file (and its lock) before failing.
  const address = await listen(server).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  publicUrl = publicUrlFor(address.port);
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    accountUserId: store.accountUserId,
    publicUrl,
    outboxUrl: `${publicUrl}/outbox`,
    outbox: () => outbox.entries(),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold `close` open until they time out.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }).then(() => store.close());
      return closing;
    },
  };
}
