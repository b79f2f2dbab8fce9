/**
 * Starts an emulator for a test file: port 0 (so parallel runs never clash),
 * a clock the test moves by hand (no sleeping), and a plain `fetch` helper
 * with basic auth that returns status, headers and parsed body.
 */
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

export const TEST_USERNAME = 'test-account';
export const TEST_PASSWORD = 'test-password';
/** The origin tests' authenticators claim; accepted by the emulator's default origin policy. */
export const TEST_ORIGIN = 'http://localhost:5173';

/** A clock for `now`: starts at the real time, moves only when told. */
export class TestClock {
  private current = Date.now();
  readonly now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON; `undefined` when empty. */
  body: T;
  text: string;
}

export interface RequestOptions {
  /** A value is sent as JSON; a string is sent as is (to test malformed bodies). */
  body?: unknown;
  /** `false` sends no Authorization header; a pair sends those credentials. */
  auth?: false | { username: string; password: string };
  headers?: Record<string, string>;
}

export interface TestEmulator {
  emulator: RunningEmulator;
  url: string;
  clock: TestClock;
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export async function sendRequest<T = unknown>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const auth = options.auth ?? { username: TEST_USERNAME, password: TEST_PASSWORD };
  if (auth !== false) headers.Authorization = basicAuth(auth.username, auth.password);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** An emulator on a random port with test credentials and a `TestClock`; options override. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const clock = new TestClock();
  const emulator = await startEmulator({ port: 0, username: TEST_USERNAME, password: TEST_PASSWORD, now: clock.now, ...options });
  return {
    emulator,
    url: emulator.url,
    clock,
    request: (method, path, requestOptions) => sendRequest(emulator.url, method, path, requestOptions),
    close: () => emulator.close(),
  };
}
