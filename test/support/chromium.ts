/**
 * How every test and script here starts Chromium (TOOLCHAIN.md): `CHROME_PATH`
 * or the first Chrome, Chromium or Edge found (`browsers.ts`), and flags for
 * running as root on a machine with no network beyond loopback (the
 * background-networking flags stop Chromium dialling out at every start).
 */
import { findExecutable } from './browsers.js';

/** Debian's path when nothing is found, so a launch failure names the package the README asks for. */
export const CHROMIUM_PATH = findExecutable('chromium') ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
