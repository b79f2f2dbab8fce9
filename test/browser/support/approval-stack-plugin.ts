/**
 * The approval half of the browser tests' stack: an emulator serving only
 * SendAuth's public spec (`ceremonyEndpoints: false`), proxies on it, and the
 * person's other device — a browser context with its own virtual
 * authenticator in a Chromium of its own (whatever engine runs the test page,
 * which needs no WebAuthn for this) that opens a notification's link from the
 * outbox and presses Approve or Deny on the emulator's respond page (a real
 * WebAuthn ceremony on the emulator's origin; for a registration TX it
 * creates the passkey there).
 *
 * Proxies (`APPROVAL_ENDPOINTS`): `/approval` with `ceremony: "approval"`,
 * `/auto` with `ceremony: "auto"`, both counting their SendAuth requests.
 * Commands `approval:*`; payloads and results in `protocol.ts`, typed
 * wrappers in `approval-commands.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Middleware } from 'koa';
import type { Page } from 'puppeteer-core';
import { launchBrowser, newPageWithAuthenticator, type LaunchedBrowser } from '../../demo/browser.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';
import { SendAuthClient, createSendAuthProxy, toNodeListener, type SendAuthProxy } from '../../../src/server.js';
import { APPROVAL_ENDPOINTS, SESSION_COOKIE, type ConfirmPayload, type RespondPayload, type VerifiedEventRecord } from './protocol.js';

type NodeListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const API_USERNAME = 'wtr-approval-site';
const API_PASSWORD = `wtr-${randomUUID()}`;

function readSessionUserId(request: Request): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('=')) || undefined;
  }
  return undefined;
}


export interface ApprovalStack {
  middleware: Middleware;
  plugin: TestRunnerPlugin;
}

export function approvalStack(): ApprovalStack {
  let clockOffsetMs = 0;
  let emulator: RunningEmulator | undefined;
  let client: SendAuthClient | undefined;
  const mounts = new Map<string, { listener: NodeListener; proxy: SendAuthProxy; requests: string[] }>();
  const verifiedEvents: VerifiedEventRecord[] = [];
  /** The person's devices by name: each a page in its own browser context (cookies, authenticator). */
  const devices = new Map<string, Page>();
  let deviceBrowser: Promise<LaunchedBrowser> | undefined;

  function mount(endpoint: string, ceremony: 'approval' | 'auto'): void {
    if (!emulator) throw new Error('the approval emulator is not running');
    const requests: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      requests.push(`${request.method} ${new URL(request.url).pathname.replace(/[0-9a-f-]{36}/gi, ':id')}`);
      return fetch(input, init);
    };
    const proxy = createSendAuthProxy({
      sendauth: new SendAuthClient({ baseUrl: emulator.url, username: API_USERNAME, password: API_PASSWORD, fetch: counting }),
      basePath: endpoint,
      ceremony,
      allowSignup: true,
      getSessionUserId: readSessionUserId,
      onVerified: ({ userId, kind, tx }) => {
        verifiedEvents.push({ endpoint, userId, kind, tx });
        return { 'set-cookie': `${SESSION_COOKIE}=${encodeURIComponent(userId)}; Path=/; SameSite=Strict` };
      },
      rateLimit: { limit: 1000, windowMs: 60_000 },
      approval: { rateLimit: false, pollIntervalMs: 250 },
    });
    mounts.set(endpoint, { listener: toNodeListener(proxy), proxy, requests });
  }

  const middleware: Middleware = async (ctx, next) => {
    const mounted = mounts.get(`/${ctx.path.split('/')[1] ?? ''}`);
    if (!mounted) return next();
    ctx.respond = false;
    await mounted.listener(ctx.req, ctx.res);
  };

  function requireEmulator(): RunningEmulator {
    if (!emulator || !client) throw new Error('the approval stack is not running');
    return emulator;
  }

  /** The device named `name`, made on first use: a page with a virtual authenticator in a fresh context. */
  async function device(name: string): Promise<Page> {
    let page = devices.get(name);
    if (!page) {
      deviceBrowser ??= launchBrowser();
      page = await newPageWithAuthenticator((await deviceBrowser).browser);
      devices.set(name, page);
    }
    return page;
  }

  async function forgetDevices(): Promise<void> {
    for (const page of devices.values()) await page.browserContext().close().catch(() => undefined);
    devices.clear();
  }

  /** Opens the TX's link (from the outbox, as a person would follow it) and presses the button; the state the page ends in. */
  async function respond({ tx, action, device: name = 'phone' }: RespondPayload): Promise<string> {
    const entry = (await requireEmulator().outbox()).find((notification) => notification.tx === tx.toLowerCase());
    if (!entry) throw new Error(`approval:respond: no notification for TX ${tx}`);
    const page = await device(name);
    const response = await page.goto(entry.link, { waitUntil: 'load' });
    if (response?.status() !== 200) throw new Error(`approval:respond: the respond page answered ${response?.status()}`);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 15_000 });
    // Each device is its own window of the device browser: it needs the focus for its WebAuthn prompt.
    await page.bringToFront();
    await page.click(`#${action}`);
    await page.waitForSelector('main[data-state]:not([data-state="pending"])', { timeout: 30_000 });
    return page.$eval('main', (main) => (main as HTMLElement).dataset.state ?? '');
  }

  const plugin: TestRunnerPlugin = {
    name: 'sendauth-approval-stack',
    async serverStart() {
      emulator = await startEmulator({
        port: 0,
        username: API_USERNAME,
        password: API_PASSWORD,
        ceremonyEndpoints: false,
        now: () => Date.now() + clockOffsetMs,
      });
      client = new SendAuthClient({ baseUrl: emulator.url, username: API_USERNAME, password: API_PASSWORD });
      mount(APPROVAL_ENDPOINTS.approval, 'approval');
      mount(APPROVAL_ENDPOINTS.auto, 'auto');
    },
    async serverStop() {
      mounts.clear();
      await forgetDevices();
      await (await deviceBrowser)?.close();
      deviceBrowser = undefined;
      await emulator?.close();
      emulator = undefined;
    },
    async executeCommand({ command, payload }) {
      if (!command.startsWith('approval:')) return undefined;
      const data = (payload ?? {}) as Record<string, unknown>;
      switch (command) {
        case 'approval:create-user': {
          const email = typeof data.email === 'string' ? data.email : `approver-${randomUUID()}@example.com`;
          const user = await client!.createUser({ firstName: 'Ada', lastName: 'Approver', email });
          return { userId: user.id!, email, firstName: 'Ada', lastName: 'Approver' };
        }
        case 'approval:respond':
          return { state: await respond(data as unknown as RespondPayload) };
        case 'approval:forget-devices':
          await forgetDevices();
          return { forgotten: true };
        case 'approval:start-devices':
          await (deviceBrowser ??= launchBrowser());
          return { started: true };
        case 'approval:sendauth-requests': {
          const mounted = mounts.get(String(data.endpoint));
          if (!mounted) throw new Error(`approval:sendauth-requests: no proxy at ${String(data.endpoint)}`);
          const requests = [...mounted.requests];
          if (data.clear === true) mounted.requests.length = 0;
          return requests;
        }
        case 'approval:confirm': {
          const { endpoint, ...approval } = data as unknown as ConfirmPayload;
          return { confirmed: await mounts.get(endpoint)!.proxy.confirmApproval(approval) };
        }
        case 'approval:verified-events':
          return verifiedEvents.filter((event) => data.tx === undefined || event.tx === data.tx);
        case 'approval:outbox':
          return requireEmulator().outbox();
        case 'approval:user':
          return client!.getUser(String(data.userId));
        case 'approval:advance-clock':
          clockOffsetMs += Number(data.ms);
          return { offsetMs: clockOffsetMs };
        case 'approval:reset-clock':
          clockOffsetMs = 0;
          return { offsetMs: 0 };
        default:
          throw new Error(`Unknown command ${command}`);
      }
    },
  };

  return { middleware, plugin };
}
