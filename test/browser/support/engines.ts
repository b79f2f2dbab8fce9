/**
 * The browsers the browser suite runs in: one WTR launcher per engine found
 * (`test/support/browsers.ts`), each with a profile saying what its driver
 * can do, which the server commands (`engine-plugin.ts`,
 * `webauthn-plugin.ts`) look up by the session's launcher.
 *
 * Node only.
 */
import type { BrowserLauncher } from '@web/test-runner';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import type { EnginePlan } from '../../support/browsers.js';
import { CHROMIUM_ARGS } from '../../support/chromium.js';
import { firefoxLauncher } from './firefox-launcher.js';
import type { EngineInfo } from './protocol.js';
import { webkitLauncher } from './webkit-launcher.js';

const profiles = new WeakMap<BrowserLauncher, EngineInfo>();

/** The profile of the launcher a session runs in. */
export function engineOf(launcher: BrowserLauncher): EngineInfo {
  const profile = profiles.get(launcher);
  if (!profile) throw new Error(`no engine profile for the launcher "${launcher.name}"`);
  return profile;
}

function withProfile<T extends BrowserLauncher>(launcher: T, profile: EngineInfo): T {
  profiles.set(launcher, profile);
  return launcher;
}

export interface EngineLaunchers {
  /** Every test file runs in each of these. */
  browsers: BrowserLauncher[];
  /** A WebKit started in dark mode, for the files that compare colour schemes (WebKitWebDriver cannot switch it). */
  darkWebKit: BrowserLauncher | undefined;
}

export async function engineLaunchers(plan: EnginePlan): Promise<EngineLaunchers> {
  const browsers: BrowserLauncher[] = [];
  let darkWebKit: BrowserLauncher | undefined;
  const { chromium, firefox, webkit } = plan.found;
  if (chromium) {
    const launcher = chromeLauncher({
      // Given puppeteer, the launcher names its results "Chromium" (without, "Chrome").
      puppeteer: puppeteerCore,
      launchOptions: { executablePath: chromium, headless: true, args: CHROMIUM_ARGS },
      // Its own browser context per page: otherwise parallel pages fail WebAuthn with
      // "the page does not have focus".
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    });
    browsers.push(withProfile(launcher, { engine: 'chromium', label: 'Chromium', virtualAuthenticator: 'cdp', colorScheme: 'emulated' }));
  }
  if (firefox) {
    browsers.push(
      withProfile(firefoxLauncher(firefox), { engine: 'firefox', label: 'Firefox', virtualAuthenticator: 'marionette', colorScheme: 'emulated' }),
    );
  }
  if (webkit) {
    const light = await webkitLauncher({ executables: webkit });
    browsers.push(withProfile(light, { engine: 'webkit', label: 'WebKit', virtualAuthenticator: 'none', colorScheme: 'light' }));
    const dark = await webkitLauncher({ executables: webkit, args: ['--dark-mode'], label: 'WebKit (dark)' });
    darkWebKit = withProfile(dark, { engine: 'webkit', label: 'WebKit (dark)', virtualAuthenticator: 'none', colorScheme: 'dark' });
  }
  return { browsers, darkWebKit };
}
