/** What the route modules share: the Hono app type, their dependencies, and two small request helpers. */
import type { Context, Handler, Hono } from 'hono';
import { EmulatorError } from './errors.js';
import type { Outbox } from './outbox.js';
import type { EmulatorStore } from './store.js';
import { parseJsonText } from './validate.js';
import type { RelyingParty } from './webauthn.js';

/** `actor`: the basic-auth username of the request, recorded in audits and as TX requestor. */
export type EmulatorEnv = { Variables: { actor: string } };
export type EmulatorApp = Hono<EmulatorEnv>;
export type EmulatorContext = Context<EmulatorEnv>;

export interface EmulatorDeps {
  store: EmulatorStore;
  rp: RelyingParty;
  txTtlMs: number;
  /** The notifications of every TX (the outbox page and its JSON). */
  outbox: Outbox;
  /**
   * The emulator's address as a person's browser reaches it, e.g.
   * `http://localhost:8787`: the links' base and the respond page's origin
   * (see `publicUrlResolver`). Known once the emulator listens.
   */
  publicUrl: () => string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Registers the handlers of one path, and a 405 (with `Allow`) for every
 * other method on it, so a wrong method is told apart from an unknown path.
 */
export function route(app: EmulatorApp, path: string, handlers: Partial<Record<Method, Handler<EmulatorEnv>>>): void {
  const allowed = Object.keys(handlers) as Method[];
  for (const method of allowed) app.on(method, path, handlers[method] as Handler<EmulatorEnv>);
  app.all(path, (c) => {
    throw new EmulatorError(405, { error: `Method ${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(', ')}` }, { Allow: allowed.join(', ') });
  });
}

/** The JSON body, or `undefined` when there is none. 400 when it is not JSON. */
export async function readJson(c: EmulatorContext): Promise<unknown> {
  return parseJsonText(await c.req.text());
}

/** The JSON body of an operation whose body is required. */
export async function readRequiredJson(c: EmulatorContext): Promise<unknown> {
  const body = await readJson(c);
  if (body === undefined) throw new EmulatorError(400, { error: 'Request body is required' });
  return body;
}
