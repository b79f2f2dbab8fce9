/**
 * WebKit for web-test-runner (TOOLCHAIN.md "WebKitGTK"): WebKitGTK's
 * MiniBrowser driven by WebKitWebDriver (classic WebDriver, through
 * `@web/test-runner-webdriver`), on an Xvfb display of its own since
 * MiniBrowser has no headless mode. The launcher starts Xvfb and the driver
 * when WTR initializes it and stops both, by PID, when WTR stops it.
 *
 * Node only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestRunnerCoreConfig } from '@web/test-runner';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import type { WebKitExecutables } from '../../support/browsers.js';
import { freePort } from '../../support/free-port.js';


/** Starts `Xvfb -displayfd 3`, which writes the display number it took to fd 3 once it is ready. */
function startXvfb(xvfb: string): Promise<{ process: ChildProcess; display: string }> {
  const child = spawn(xvfb, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve({ process: child, display: `:${text.trim()}` });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready: ${stderr.trim()}`)));
  });
}

/**
 * Waits until the WebDriver server answers `GET /status`: up to 60 s (it answers within a second
 * unless the machine is loaded), each probe up to 2 s, so that one probe left unanswered cannot
 * outlast the deadline.
 */
async function untilListening(port: number, driver: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer on port ${port}`);
}

function stop(child: ChildProcess | undefined): void {
  if (child && child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
}

export interface WebKitLauncherOptions {
  executables: WebKitExecutables;
  /** Extra MiniBrowser arguments, e.g. `--dark-mode`. */
  args?: string[];
  /** The name WTR shows for this launcher's results. @default 'WebKit' */
  label?: string;
}

/** How many ports WebKitWebDriver is given before its start counts as failed. */
const DRIVER_START_ATTEMPTS = 3;

class WebKitLauncher extends WebdriverLauncher {
  private xvfb: ChildProcess | undefined;
  private webDriver: ChildProcess | undefined;
  private readonly stopOnExit = (): void => this.stopProcesses();
  /** The options the base class holds (the same object): the driver's port is set when it starts. */
  private readonly driverOptions: { hostname: string; port: number };

  constructor(
    private readonly executables: WebKitExecutables,
    private readonly label: string,
    args: string[],
  ) {
    // Kept in a variable: TypeScript rejects the vendor key in an object literal of this type.
    const capabilities = {
      browserName: 'MiniBrowser',
      'wdio:enforceWebDriverClassic': true,
      // A navigation answers as soon as it starts, not at the page's load event. WTR does not wait
      // for it (@web/test-runner-webdriver 0.9.0 drops the promise: SessionManager.queueStartSession)
      // and learns that a page is up from the page itself. With the default ('normal'), a test page
      // whose load was still pending when its tests ended (a slow image, say) kept its navigation
      // open; the launcher's stop then deleted the session, webdriver aborted that navigation, and
      // nothing caught the rejection: web-test-runner stopped with "Uncaught exception" in the middle
      // of a passing run. test/build/webkit-launcher.test.ts loads such a page.
      pageLoadStrategy: 'none' as const,
      'webkitgtk:browserOptions': { binary: executables.miniBrowser, args: ['--automation', ...args] },
    };
    const driverOptions = { hostname: '127.0.0.1', port: 0, logLevel: 'error' as const, capabilities };
    super(driverOptions);
    this.driverOptions = driverOptions;
    this.name = label;
  }

  override async initialize(config: TestRunnerCoreConfig): Promise<void> {
    process.once('exit', this.stopOnExit);
    const { process: xvfb, display } = await startXvfb(this.executables.xvfb);
    this.xvfb = xvfb;
    // The port is chosen just before the driver binds it, and chosen again should another process
    // have taken it in between (the driver then exits): three engines start servers at once.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const webDriver = spawn(this.executables.webDriver, [`--port=${port}`, '--host=local'], {
        env: { ...process.env, DISPLAY: display },
        stdio: 'ignore',
      });
      this.webDriver = webDriver;
      const spawnFailed = new Promise<never>((_, reject) => webDriver.once('error', reject));
      try {
        await Promise.race([untilListening(port, webDriver), spawnFailed]);
        this.driverOptions.port = port;
        break;
      } catch (error) {
        stop(webDriver);
        if (attempt === DRIVER_START_ATTEMPTS) throw error;
      }
    }
    await super.initialize(config);
    this.name = this.label; // the base class names it after the capabilities ("MiniBrowser")
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.stopProcesses();
    process.off('exit', this.stopOnExit);
  }

  private stopProcesses(): void {
    stop(this.webDriver);
    stop(this.xvfb);
    this.webDriver = undefined;
    this.xvfb = undefined;
  }
}

/** A WTR launcher for WebKitGTK's MiniBrowser; WTR names its results "WebKit" unless `label` says otherwise. */
export async function webkitLauncher(options: WebKitLauncherOptions): Promise<WebdriverLauncher> {
  return new WebKitLauncher(options.executables, options.label ?? 'WebKit', options.args ?? []);
}
