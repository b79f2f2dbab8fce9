/**
 * WTR plugin: what a test page cannot do to itself. A second, top-level page
 * the test drives from outside, to navigate away and come back through the
 * back/forward cache; and forced colours (Windows High Contrast) emulated on
 * the test page, which `emulateMedia` of @web/test-runner-commands does not
 * offer for puppeteer. Chrome and Firefox (puppeteer's `Page`, over CDP
 * and WebDriver BiDi; forced colours in Firefox are its own mode, a
 * preference). Commands `page:*`; typed wrappers in `commands.ts`.
 *
 * Each page gets its own browser context (WebAuthn needs the focused page)
 * and, on request, a virtual authenticator of its own.
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import type { ChromeLauncher } from '@web/test-runner-chrome';
import type { CDPSession, Page } from 'puppeteer-core';
import { engineOf } from './engines.js';
import { FORCED_COLORS_PREF, FORCED_COLORS_VALUES, firefoxRemote } from './firefox-launcher.js';
import type { DrivenPageCommand } from './protocol.js';

export function drivenPagePlugin(): TestRunnerPlugin {
  const pages = new Map<string, Page>();
  const emulation = new WeakMap<Page, CDPSession>();
  let next = 0;

  function pageOf(id: string): Page {
    const page = pages.get(id);
    if (!page) throw new Error(`page:* — no driven page ${id}; open one with page:open`);
    return page;
  }

  return {
    name: 'sendauth-driven-page',
    async serverStop() {
      await Promise.all([...pages.values()].map((page) => page.browserContext().close().catch(() => undefined)));
      pages.clear();
    },
    async executeCommand({ command, payload, session }) {
      if (!command.startsWith('page:')) return undefined;
      const input = (payload ?? {}) as DrivenPageCommand;
      switch (command) {
        case 'page:open': {
          const testPage = (session.browser as unknown as ChromeLauncher).getPage(session.id);
          const context = await testPage.browser().createBrowserContext();
          const page = await context.newPage();
          const id = `page-${(next += 1)}`;
          pages.set(id, page);
          if (input.authenticator && engineOf(session.browser).engine !== 'chromium') {
            // Firefox's virtual authenticator is the browser's (Marionette), not a page's.
            throw new Error('page:open { authenticator }: Chromium only; in Firefox call addAuthenticator() on the test page (it serves every page)');
          }
          if (input.authenticator) {
            const cdp = await page.createCDPSession();
            await cdp.send('WebAuthn.enable', { enableUI: false });
            await cdp.send('WebAuthn.addVirtualAuthenticator', {
              options: {
                protocol: 'ctap2',
                transport: 'internal',
                hasResidentKey: true,
                hasUserVerification: true,
                isUserVerified: true,
                automaticPresenceSimulation: true,
              },
            });
          }
          return { id };
        }
        case 'page:goto': {
          // The test page's origin: the driven page shares its server (and so its proxies).
          const testPage = (session.browser as unknown as ChromeLauncher).getPage(session.id);
          const url = new URL(input.url ?? '', testPage.url()).href;
          await pageOf(input.id ?? '').goto(url, { waitUntil: 'load' });
          return { url };
        }
        case 'page:back': {
          await pageOf(input.id ?? '').goBack({ waitUntil: 'load' });
          return { back: true };
        }
        case 'page:eval': {
          // The test's own code, run in the driven page: an async function body as text.
          const value: unknown = await pageOf(input.id ?? '').evaluate(`(async () => { ${input.script ?? ''} })()`);
          return { value: value ?? null };
        }
        case 'page:forced-colors': {
          const testPage = (session.browser as unknown as ChromeLauncher).getPage(session.id);
          if (engineOf(session.browser).engine === 'firefox') {
            // Firefox's own forced colours mode, a preference of the running browser.
            const value = input.forcedColors ? FORCED_COLORS_VALUES.on : FORCED_COLORS_VALUES.off;
            await firefoxRemote(testPage.browser()).setPrefs({ [FORCED_COLORS_PREF]: value });
            return { forcedColors: input.forcedColors === true };
          }
          // Chrome renders the page with the forced palette, as Windows High Contrast does.
          // Straight over CDP: puppeteer's emulateMediaFeatures does not know the feature.
          // One session per page, kept: the emulation lasts as long as the session that set it.
          let cdp = emulation.get(testPage);
          if (!cdp) emulation.set(testPage, (cdp = await testPage.createCDPSession()));
          await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: input.forcedColors ? 'active' : '' }] });
          return { forcedColors: input.forcedColors === true };
        }
        case 'page:close': {
          const page = pages.get(input.id ?? '');
          pages.delete(input.id ?? '');
          await page?.browserContext().close();
          return { closed: page !== undefined };
        }
        default:
          throw new Error(`Unknown command ${command}`);
      }
    },
  };
}
