/**
 * What the emulator uses for each `startEmulator` option left out, and what
 * `sendauth-emulator --help` prints: a module of its own, so the CLI answers
 * `--help` and a mistyped flag without loading the emulator.
 */

/**
 * `port` 8787 (0 picks a free one), `host` '127.0.0.1', the relying party `rpID` 'localhost' and
 * `rpName` 'SendAuth Emulator', the basic-auth `username` 'sendauth' and `password`
 * 'sendauth-emulator' (for local use only), `txTtlMs` 300,000 ms (a TX's lifetime, 5 minutes, as
 * SendAuth's), and `ceremonyEndpoints` true (the two ceremony endpoints the public spec does not list).
 */
export const EMULATOR_DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  rpID: 'localhost',
  rpName: 'SendAuth Emulator',
  username: 'sendauth',
  password: 'sendauth-emulator',
  txTtlMs: 5 * 60_000,
  ceremonyEndpoints: true,
} as const;
