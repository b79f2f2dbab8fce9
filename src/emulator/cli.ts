#!/usr/bin/env node
/**
 * `sendauth-emulator`: runs the local SendAuth until interrupted. The flags
 * are the options of `startEmulator`; the first line printed is its URL, then
 * one line per notification with its respond-page link (`Notification: …`).
 */
import { parseArgs } from 'node:util';
import { EMULATOR_DEFAULTS } from './defaults.js';
// Types only: the emulator is loaded once the arguments are known to be good (see main), so --help
// and a mistyped flag are answered at once.
import type { EmulatorOptions } from './index.js';
import type { OutboxEntry } from './outbox.js';

const HELP = `Usage: sendauth-emulator [options]

A local SendAuth: the Users API, transaction check/cancel and the WebAuthn
ceremony endpoints, with HTTP basic auth; an outbox (/outbox) with a respond
page per transaction, where its user approves with a passkey or denies.

Options:
  --port <n>          port, 0 for a free one          (default ${EMULATOR_DEFAULTS.port})
  --host <host>       interface to listen on          (default ${EMULATOR_DEFAULTS.host})
  --rp-id <id>        WebAuthn RP ID                  (default ${EMULATOR_DEFAULTS.rpID})
  --rp-name <name>    WebAuthn RP name                (default "${EMULATOR_DEFAULTS.rpName}")
  --origin <origin>   accepted WebAuthn origin; repeat for several
                      (default: any http(s)://localhost:<port>)
  --username <name>   basic-auth username             (default ${EMULATOR_DEFAULTS.username})
  --password <pw>     basic-auth password             (default ${EMULATOR_DEFAULTS.password})
  --data-file <path>  keep state in this JSON file    (default: in memory)
  --tx-ttl-ms <ms>    transaction lifetime            (default ${EMULATOR_DEFAULTS.txTtlMs})
  --public-url <url>  where browsers open the outbox and respond pages
                      (default: http://<rp-id>:<port>)
  --no-ceremony-endpoints
                      serve only SendAuth's public spec: no
                      /api/v1/transactions/{txID}/webauthn (404)
  --no-print-links    do not print each notification's link
  -h, --help          show this help
`;

function integer(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return Number(value);
}

interface CliOptions extends EmulatorOptions {
  printLinks: boolean;
}

function parseCliOptions(argv: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'rp-id': { type: 'string' },
      'rp-name': { type: 'string' },
      origin: { type: 'string', multiple: true },
      username: { type: 'string' },
      password: { type: 'string' },
      'data-file': { type: 'string' },
      'tx-ttl-ms': { type: 'string' },
      'public-url': { type: 'string' },
      'no-ceremony-endpoints': { type: 'boolean' },
      'no-print-links': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const options: CliOptions = { printLinks: values['no-print-links'] !== true };
  const port = integer('port', values.port, 0);
  if (port !== undefined) {
    if (port > 65535) throw new Error('--port must be at most 65535');
    options.port = port;
  }
  const txTtlMs = integer('tx-ttl-ms', values['tx-ttl-ms'], 1);
  if (txTtlMs !== undefined) options.txTtlMs = txTtlMs;
  if (values.host !== undefined) options.host = values.host;
  if (values['rp-id'] !== undefined) options.rpID = values['rp-id'];
  if (values['rp-name'] !== undefined) options.rpName = values['rp-name'];
  if (values.origin !== undefined) options.origins = values.origin;
  if (values.username !== undefined) options.username = values.username;
  if (values.password !== undefined) options.password = values.password;
  if (values['data-file'] !== undefined) options.dataFile = values['data-file'];
  if (values['public-url'] !== undefined) options.publicUrl = values['public-url'];
  if (values['no-ceremony-endpoints'] === true) options.ceremonyEndpoints = false;
  return options;
}

/** One line: `Notification: authentication for ada@example.com by email: http://localhost:8787/respond/…`. */
function notificationLine(entry: OutboxEntry): string {
  const to = entry.channels.map((channel) => `${channel === 'sms' ? entry.phone : entry.email} by ${channel === 'sms' ? 'SMS' : 'email'}`);
  return `Notification: ${entry.kind} for ${to.length === 0 ? `user ${entry.userId} (no address)` : to.join(' and ')}: ${entry.link}\n`;
}

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sendauth-emulator: ${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const { printLinks, ...emulatorOptions } = options;
  if (printLinks) emulatorOptions.onNotification = (entry) => process.stdout.write(notificationLine(entry));
  const { startEmulator } = await import('./index.js');
  const emulator = await startEmulator(emulatorOptions);
  process.stdout.write(
    `${emulator.url}\n` +
      `SendAuth emulator listening on ${emulator.url} (basic auth user "${options.username ?? EMULATOR_DEFAULTS.username}", ` +
      `state ${options.dataFile === undefined ? 'in memory' : `in ${options.dataFile}`}` +
      `${options.ceremonyEndpoints === false ? ', public spec only: no ceremony endpoints' : ''}). Ctrl-C to stop.\n` +
      `Outbox: ${emulator.outboxUrl}\n`,
  );
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sendauth-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
