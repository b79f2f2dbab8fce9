/**
 * Which browser engines this machine can run the browser tests in, and where
 * their executables are: each one's environment variable first, then the
 * common install paths in `browser-paths.json` (the same list
 * `scripts/ensure-browsers.sh` reads, so the install step and the test run
 * agree).
 *
 * `TEST_ENGINES` (comma-separated `chromium,firefox,webkit`) names the
 * engines a run must use: each one named must be found, or the run stops
 * with what to install. Unset, every engine found runs, Chromium must be
 * among them, and a missing Firefox or WebKit is reported as skipped.
 *
 * Node only.
 */
import { accessSync, constants, readFileSync } from 'node:fs';

export const ENGINES = ['chromium', 'firefox', 'webkit'] as const;
export type Engine = (typeof ENGINES)[number];

/** The executables looked up, as named in `browser-paths.json`. */
export type Executable = 'chromium' | 'firefox' | 'webkitWebDriver' | 'miniBrowser' | 'xvfb';

interface Candidates {
  env: string;
  paths: string[];
}

const CANDIDATES = JSON.parse(readFileSync(new URL('./browser-paths.json', import.meta.url), 'utf8')) as Record<Executable, Candidates>;

/** What to do about a missing engine, said the way a developer can act on it. */
export const INSTALL_HINTS: Record<Engine, string> = {
  chromium:
    "install Chrome, Chromium or Edge (Debian: 'apt-get install chromium'), or set CHROME_PATH to its executable",
  firefox: "install Firefox (Debian: 'apt-get install firefox-esr'), or set FIREFOX_PATH to its executable",
  webkit:
    "WebKitGTK's WebDriver, MiniBrowser and Xvfb are needed (Debian: 'apt-get install webkit2gtk-driver xvfb'); Safari's safaridriver is not supported",
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The executable's path: its environment variable when set (an error if that
 * is not an executable: a wrong setting must not silently fall back), else
 * the first common path that exists, else `undefined`.
 */
export function findExecutable(name: Executable): string | undefined {
  const { env, paths } = CANDIDATES[name];
  const fromEnv = process.env[env];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${env}=${fromEnv} is not an executable file.`);
    return fromEnv;
  }
  return paths.find(isExecutable);
}

export interface WebKitExecutables {
  webDriver: string;
  miniBrowser: string;
  xvfb: string;
}

export interface FoundEngines {
  chromium?: string;
  firefox?: string;
  webkit?: WebKitExecutables;
}

/** Every engine's executables that exist here. */
export function findEngines(): FoundEngines {
  const found: FoundEngines = {};
  const chromium = findExecutable('chromium');
  if (chromium) found.chromium = chromium;
  const firefox = findExecutable('firefox');
  if (firefox) found.firefox = firefox;
  const webDriver = findExecutable('webkitWebDriver');
  const miniBrowser = findExecutable('miniBrowser');
  const xvfb = findExecutable('xvfb');
  if (webDriver && miniBrowser && xvfb) found.webkit = { webDriver, miniBrowser, xvfb };
  return found;
}

export interface EnginePlan {
  /** The engines this run uses, each with its executables. */
  found: FoundEngines;
  /** Engines left out because they are not installed, with what to install. */
  skipped: { engine: Engine; hint: string }[];
}

/**
 * The engines a test run uses (see the module comment for `TEST_ENGINES`).
 * Throws, saying what to install or set, when a required engine is missing.
 */
export function planEngines(requested = process.env.TEST_ENGINES): EnginePlan {
  const found = findEngines();
  const names = requested
    ?.split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (names && names.length > 0) {
    const unknown = names.filter((name) => !(ENGINES as readonly string[]).includes(name));
    if (unknown.length > 0) throw new Error(`TEST_ENGINES: unknown engine ${unknown.join(', ')} (known: ${ENGINES.join(', ')})`);
    const missing = (names as Engine[]).filter((engine) => !found[engine]);
    if (missing.length > 0) {
      throw new Error(missing.map((engine) => `TEST_ENGINES asks for ${engine}, which is not installed: ${INSTALL_HINTS[engine]}.`).join('\n'));
    }
    const chosen: FoundEngines = {};
    for (const engine of names as Engine[]) Object.assign(chosen, { [engine]: found[engine] });
    return { found: chosen, skipped: [] };
  }
  if (!found.chromium) throw new Error(`The browser tests need Chromium: ${INSTALL_HINTS.chromium}.`);
  const skipped = ENGINES.filter((engine) => !found[engine]).map((engine) => ({ engine, hint: INSTALL_HINTS[engine] }));
  return { found, skipped };
}
