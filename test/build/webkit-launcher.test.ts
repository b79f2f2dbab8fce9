/**
 * The WebKit launcher of the browser tests (`test/browser/support/webkit-launcher.ts`) ending a
 * session whose page is still loading: what the last test file of a WebKit run does when its tests
 * end before the page's load event (a slow image, an iframe). With WebDriver's default page load
 * strategy the navigation that opened the page was still waiting for that load event when the
 * launcher deleted its session; webdriver aborted it and nothing caught the rejection, so
 * web-test-runner stopped a passing run with "Uncaught exception ... This operation was aborted when
 * running "url"" (CI, stop 18). Real MiniBrowser, real WebKitWebDriver, a page on loopback.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { TestRunnerCoreConfig } from '@web/test-runner';
import { webkitLauncher } from '../browser/support/webkit-launcher.js';
import { findEngines, INSTALL_HINTS } from '../support/browsers.js';

const webkit = findEngines().webkit;

/** How long the page's image takes to answer: its load event waits that long. */
const IMAGE_DELAY_MS = 3_000;

describe('the WebKit launcher', { skip: webkit ? false : `WebKit is not installed here: ${INSTALL_HINTS.webkit}` }, () => {
  /** Answers `/page` with a page whose one image answers IMAGE_DELAY_MS after it is asked for. */
  const held = new Set<ServerResponse>();
  let imageAsked: () => void = () => {};
  const imageRequested = new Promise<void>((resolve) => (imageAsked = resolve));
  const server = createServer((request, response) => {
    if (request.url === '/slow.gif') {
      imageAsked();
      held.add(response);
      setTimeout(() => response.writeHead(404).end(), IMAGE_DELAY_MS).unref();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>still loading</title><img src="/slow.gif" alt="">');
  });
  before(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  after(() => {
    for (const response of held) response.destroy();
    server.close();
  });

  test('ends a session whose page is still loading, with nothing left unhandled, and stops', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const launcher = await webkitLauncher({ executables: webkit! });
    try {
      // Only what the launcher reads: one page at a time (its SessionManager), no coverage.
      await launcher.initialize({ concurrency: 1, coverage: false } as TestRunnerCoreConfig);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/page`;
      await launcher.startSession('still-loading', url);
      await imageRequested; // the page is parsed and waiting for its image: no load event yet
      assert.equal(launcher.isActive('still-loading'), true);

      const started = performance.now();
      await launcher.stopSession('still-loading');
      assert.equal(launcher.isActive('still-loading'), false);
      assert.ok(performance.now() - started < IMAGE_DELAY_MS, 'ending the session did not wait for the page to finish loading');
    } finally {
      await launcher.stop();
      await new Promise((resolve) => setTimeout(resolve, 200)); // a rejection left unhandled is reported on a later turn
      process.off('unhandledRejection', onRejection);
    }
    assert.deepEqual(rejections.map(String), [], 'a rejection was left unhandled');
  });
});
