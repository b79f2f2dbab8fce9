/**
 * A minimal Marionette client (Firefox's remote protocol, TOOLCHAIN.md
 * "Firefox ESR"), for the commands WebDriver BiDi does not have in Firefox
 * 153: the virtual authenticator (`WebAuthn:*`).
 *
 * Framing: each message is `<byte length>:<JSON>`. The server greets with
 * `{"applicationType":"gecko","marionetteProtocol":3}`; a request is
 * `[0, id, name, params]`, its reply `[1, id, error, result]` with `error`
 * `null` or `{ error, message, stacktrace }`.
 *
 * Node only.
 */
import { connect, type Socket } from 'node:net';

interface Pending {
  name: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** A command Firefox refused: `error` is the WebDriver error code (e.g. `invalid argument`). */
export class MarionetteError extends Error {
  constructor(
    readonly command: string,
    readonly error: string,
    message: string,
  ) {
    super(`Marionette ${command}: ${error}: ${message}`);
    this.name = 'MarionetteError';
  }
}

export class MarionetteClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private greeted: Promise<void>;
  private closedError: Error | undefined;

  private constructor(private readonly socket: Socket) {
    let greet!: () => void;
    let fail!: (error: Error) => void;
    this.greeted = new Promise<void>((resolve, reject) => {
      greet = resolve;
      fail = reject;
    });
    let greeting = true;
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (let message = this.takeMessage(); message !== undefined; message = this.takeMessage()) {
        if (greeting) {
          greeting = false;
          const hello = message as { applicationType?: string; marionetteProtocol?: number };
          if (hello.applicationType === 'gecko' && hello.marionetteProtocol === 3) greet();
          else fail(new Error(`not a Marionette 3 server: ${JSON.stringify(message)}`));
          continue;
        }
        this.settle(message);
      }
    });
    const close = (error: Error): void => {
      this.closedError ??= error;
      fail(error);
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    socket.on('error', close);
    socket.on('close', () => close(new Error('the Marionette connection closed')));
  }

  /** Connects to Marionette on `127.0.0.1:port` and waits for its greeting. */
  static async connect(port: number): Promise<MarionetteClient> {
    const socket = connect({ host: '127.0.0.1', port });
    const client = new MarionetteClient(socket);
    await client.greeted;
    return client;
  }

  /** Sends `name` with `params`; resolves with the result, rejects with a `MarionetteError`. */
  send<T = unknown>(name: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify([0, id, name, params]), 'utf8');
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { name, resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`, 'ascii'), body]));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /** One complete `len:JSON` message off the buffer, or `undefined` until more bytes arrive. */
  private takeMessage(): unknown {
    const colon = this.buffer.indexOf(0x3a);
    if (colon < 0) return undefined;
    const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
    if (!Number.isInteger(length)) throw new Error(`Marionette: bad frame length ${this.buffer.subarray(0, colon).toString()}`);
    if (this.buffer.length < colon + 1 + length) return undefined;
    const json = this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
    this.buffer = this.buffer.subarray(colon + 1 + length);
    return JSON.parse(json) as unknown;
  }

  private settle(message: unknown): void {
    if (!Array.isArray(message) || message[0] !== 1) return;
    const [, id, error, result] = message as [1, number, { error: string; message: string } | null, unknown];
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (error) pending.reject(new MarionetteError(pending.name, error.error, error.message));
    else pending.resolve(result);
  }
}
