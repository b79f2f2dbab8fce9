/**
 * How every test and script here starts Chromium (TOOLCHAIN.md): Debian's
 * build, `CHROME_PATH` to override, and flags for running as root on a
 * machine with no network beyond loopback (the background-networking flags
 * stop Chromium dialling out at every start).
 */
export const CHROMIUM_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
