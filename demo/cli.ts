/**
 * `npm start`: the demo site (`startDemo`) on http://localhost:PORT until
 * Ctrl+C. Settings come from the environment (README, "Two commands"); a
 * half-set one stops it with a message saying what to set.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Types only: the server (Vite, the emulator, the proxy) is loaded once the settings are known to be
// good, so a mistyped PORT or argument is answered at once rather than after a second of imports.
import type { DemoOptions, RunningDemo } from './server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Reads the demo's settings from the environment and the arguments (`npm start -- --approval-only`,
 * or `SENDAUTH_APPROVAL_ONLY=1`); throws a readable error for a bad PORT, a half-set SendAuth or an
 * unknown argument.
 */
function optionsFromEnvironment(env: NodeJS.ProcessEnv, args: readonly string[]): DemoOptions {
  const unknown = args.filter((arg) => arg !== '--approval-only');
  if (unknown.length > 0) {
    // The emulator takes --port and --host; the demo takes them from the environment (README's table).
    const hint = unknown.some((arg) => /^--(port|host)\b/.test(arg)) ? ' The port and interface come from PORT and HOST, e.g. PORT=0 npm start.' : '';
    throw new Error(`Unknown argument ${unknown.join(' ')}. The one argument is --approval-only.${hint}`);
  }
  const approvalOnly = args.includes('--approval-only') || ['1', 'true', 'yes'].includes((env.SENDAUTH_APPROVAL_ONLY ?? '').toLowerCase());
  const port = env.PORT === undefined || env.PORT === '' ? 5173 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}.`);

  const real = { SENDAUTH_URL: env.SENDAUTH_URL, SENDAUTH_USERNAME: env.SENDAUTH_USERNAME, SENDAUTH_PASSWORD: env.SENDAUTH_PASSWORD };
  const given = Object.entries(real).filter(([, value]) => value);
  if (given.length > 0 && given.length < 3) {
    const missing = Object.entries(real)
      .filter(([, value]) => !value)
      .map(([name]) => name);
    throw new Error(`To use a real SendAuth set all of SENDAUTH_URL, SENDAUTH_USERNAME and SENDAUTH_PASSWORD (missing: ${missing.join(', ')}).`);
  }

  return {
    port,
    ...(env.HOST ? { host: env.HOST } : {}),
    ...(given.length === 3
      ? { sendauth: { baseUrl: real.SENDAUTH_URL ?? '', username: real.SENDAUTH_USERNAME ?? '', password: real.SENDAUTH_PASSWORD ?? '' } }
      : { dataFile: env.SENDAUTH_DATA_FILE || path.join(repoRoot, '.sendauth-data.json') }),
    ...(env.SESSION_SECRET ? { sessionSecret: env.SESSION_SECRET } : {}),
    ...(approvalOnly ? { approvalOnly } : {}),
    ...(env.DEMO_VITE_CACHE_DIR ? { viteCacheDir: env.DEMO_VITE_CACHE_DIR } : {}),
  };
}

async function main(): Promise<void> {
  let options: DemoOptions;
  try {
    options = optionsFromEnvironment(process.env, process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
    return;
  }

  let demo: RunningDemo;
  try {
    const { startDemo } = await import('./server.js');
    demo = await startDemo(options);
  } catch (error) {
    console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }

  const where = demo.emulator
    ? [
        `  SendAuth: the local emulator at ${demo.emulator.url}; accounts are kept in ${options.dataFile ?? 'memory'}.`,
        options.approvalOnly
          ? "  As SendAuth's public spec only (--approval-only): every request is approved on your other device, through the outbox."
          : "  With the in-browser passkey ceremony; `npm start -- --approval-only` runs it as SendAuth's public spec.",
        `  Outbox (SendAuth's notifications, with the links to approve them): ${demo.outboxUrl}`,
        '  To use a real SendAuth instead, set SENDAUTH_URL, SENDAUTH_USERNAME and SENDAUTH_PASSWORD.',
      ]
    : [`  SendAuth: ${demo.sendauthUrl} (from SENDAUTH_URL; no emulator started).`];
  console.log(['', `  SendAuth elements demo: ${demo.url}`, '', ...where, '  Press Ctrl+C to stop.', ''].join('\n'));

  // A second Ctrl+C while closing quits at once.
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
