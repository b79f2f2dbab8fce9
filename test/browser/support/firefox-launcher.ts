/**
 * Firefox for web-test-runner (TOOLCHAIN.md "Firefox ESR"): the Chrome
 * launcher's puppeteer driving Firefox over WebDriver BiDi, plus the two
 * remote channels the tests need beyond BiDi:
 *
 * - Marionette (`--marionette`, `marionette.port` 0: Firefox picks a free
 *   port and writes it to `MarionetteActivePort` in the profile) for the
 *   virtual authenticator, which Firefox 153's BiDi does not have;
 * - BiDi script evaluation in the browser's own (chrome) window
 *   (`--remote-allow-system-access`) to set preferences while it runs: the
 *   colour scheme pages see, and which WebAuthn transport is active.
 *
 * Node only.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeLauncher, type ChromeLauncher, type puppeteerCore } from '@web/test-runner-chrome';
import { launch, type Browser, type LaunchOptions } from 'puppeteer-core';
import { MarionetteClient } from './marionette.js';

/** What a preference can hold. */
export type PrefValue = boolean | number | string;

/** `layout.css.prefers-color-scheme.content-override`: what `prefers-color-scheme` pages see. */
export const COLOR_SCHEME_PREF = 'layout.css.prefers-color-scheme.content-override';
export const COLOR_SCHEME_VALUES = { dark: 0, light: 1 } as const;
/**
 * `browser.display.document_color_use`: 2 overrides every page's colours with the system's, which is
 * Firefox's forced colours mode (`forced-colors: active`, as Windows High Contrast turns on); 0 is
 * the default (override only with a high-contrast theme).
 */
export const FORCED_COLORS_PREF = 'browser.display.document_color_use';
export const FORCED_COLORS_VALUES = { on: 2, off: 0 } as const;

/**
 * Firefox's WebAuthn transports. The soft token is where Marionette's virtual
 * authenticators live; with it off and USB on, a ceremony waits for a
 * security key (none is plugged in) until it is aborted or Firefox's own
 * timeout (at least 15 s) ends it.
 */
export const SOFT_TOKEN_PREF = 'security.webauth.webauthn_enable_softtoken';
export const USB_TOKEN_PREF = 'security.webauth.webauthn_enable_usbtoken';

const LAUNCH_PREFS: Record<string, PrefValue> = {
  'marionette.port': 0,
  // Both needed for the virtual authenticator to answer (TOOLCHAIN.md).
  [SOFT_TOKEN_PREF]: true,
  [USB_TOKEN_PREF]: false,
  // Pages see light until a test asks for dark, as in Chromium.
  [COLOR_SCHEME_PREF]: COLOR_SCHEME_VALUES.light,
};

/** The two channels into one running Firefox, besides puppeteer's pages. */
export class FirefoxRemote {
  private chromeContext: string | undefined;

  constructor(
    private readonly browser: Browser,
    readonly marionette: MarionetteClient,
  ) {}

  /** Sets preferences in the running browser; they apply to the next thing that reads them. */
  async setPrefs(prefs: Record<string, PrefValue>): Promise<void> {
    const calls = Object.entries(prefs).map(([name, value]) => {
      const setter = typeof value === 'boolean' ? 'setBoolPref' : typeof value === 'number' ? 'setIntPref' : 'setStringPref';
      return `Services.prefs.${setter}(${JSON.stringify(name)}, ${JSON.stringify(value)});`;
    });
    const answer = await this.bidi('script.evaluate', {
      expression: calls.join('\n'),
      target: { context: await this.chromeWindow() },
      awaitPromise: false,
    });
    const result = answer as { type?: string; exceptionDetails?: { text?: string } };
    if (result.type !== 'success') throw new Error(`Firefox refused the preferences: ${result.exceptionDetails?.text ?? JSON.stringify(answer)}`);
  }

  /** The browser window's own (chrome) browsing context, where `Services` is in scope. */
  private async chromeWindow(): Promise<string> {
    if (this.chromeContext) return this.chromeContext;
    const tree = (await this.bidi('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })) as {
      contexts: { context: string }[];
    };
    const context = tree.contexts[0]?.context;
    if (!context) throw new Error('Firefox lists no chrome window (is --remote-allow-system-access set?)');
    this.chromeContext = context;
    return context;
  }

  private async bidi(method: string, params: Record<string, unknown>): Promise<unknown> {
    // puppeteer keeps its BiDi connection internal; its `send` takes any command Firefox knows,
    // including the `moz:` extensions, which its typings do not list.
    const connection = (this.browser as unknown as { connection: { send(method: string, params: unknown): Promise<{ result: unknown }> } })
      .connection;
    return (await connection.send(method, params)).result;
  }
}

const remotes = new WeakMap<Browser, FirefoxRemote>();

/** The remote channels of a browser this launcher started; throws for any other browser. */
export function firefoxRemote(browser: Browser): FirefoxRemote {
  const remote = remotes.get(browser);
  if (!remote) throw new Error('not a Firefox started by firefoxLauncher()');
  return remote;
}

async function marionettePort(profile: string): Promise<number> {
  const file = join(profile, 'MarionetteActivePort');
  // Written at start-up, about when BiDi answers: seconds on a loaded machine. A failed launch here
  // fails every Firefox file of the run, so the wait is long.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const port = Number(text.trim());
    if (text.trim() !== '' && Number.isInteger(port) && port > 0) return port;
    if (Date.now() > deadline) throw new Error(`Firefox wrote no Marionette port to ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** puppeteer's launch, with a profile of our own to find the Marionette port in. */
async function launchFirefox(options: LaunchOptions): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'sendauth-firefox-'));
  const browser = await launch({ ...options, userDataDir: profile });
  try {
    const marionette = await MarionetteClient.connect(await marionettePort(profile));
    remotes.set(browser, new FirefoxRemote(browser, marionette));
    browser.once('disconnected', () => marionette.close());
    // Once the process is gone (while it runs down, Firefox still writes to its profile), or at
    // the latest when WTR exits. Synchronously: WTR calls process.exit right after closing the
    // browsers, which would cut an asynchronous removal short.
    const removeProfile = (): void => {
      process.off('exit', removeProfile);
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
      } catch (error) {
        // Firefox still writing to it after three tries: a profile left in /tmp, said so, rather than
        // an exception thrown out of an exit listener, which would fail a passing run.
        console.warn(`Firefox's profile ${profile} could not be removed: ${String(error)}`);
      }
    };
    process.once('exit', removeProfile);
    browser.process()?.once('exit', removeProfile);
  } catch (error) {
    await browser.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return browser;
}

/** A WTR launcher for the Firefox at `executablePath`; WTR names its results "Firefox". */
export function firefoxLauncher(executablePath: string): ChromeLauncher {
  return chromeLauncher({
    // The launcher only calls `launch` on the puppeteer it is given.
    puppeteer: { launch: launchFirefox } as unknown as typeof puppeteerCore,
    launchOptions: {
      browser: 'firefox',
      executablePath,
      headless: true,
      args: ['--marionette', '--remote-allow-system-access'],
      extraPrefsFirefox: LAUNCH_PREFS,
    },
    // One page at a time (the config's concurrency): Marionette's authenticator is browser-wide.
    createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
  });
}
