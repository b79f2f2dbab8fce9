/**
 * The emulator's HTTP API as a Hono app: the pages a person opens (outbox,
 * respond page: no basic auth), then basic auth on everything else, a 100 KB
 * body limit, the API route modules, and JSON for every error (`{ error }`,
 * never HTML, never a stack trace).
 */
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { EmulatorError } from './errors.js';
import type { EmulatorApp, EmulatorDeps, EmulatorEnv } from './http.js';
import { registerCeremonyRoutes } from './routes/ceremony.js';
import { registerPageRoutes } from './routes/pages.js';
import { registerTransactionRoutes } from './routes/transactions.js';
import { registerUserRoutes } from './routes/users.js';

export const MAX_BODY_BYTES = 100 * 1024;

export interface EmulatorAppOptions extends EmulatorDeps {
  username: string;
  password: string;
  /** Serve the assumed ceremony endpoints (`GET/POST /api/v1/transactions/{txID}/webauthn`). */
  ceremonyEndpoints: boolean;
}

export function createEmulatorApp({ username, password, ceremonyEndpoints, ...deps }: EmulatorAppOptions): EmulatorApp {
  const app = new Hono<EmulatorEnv>();

  app.onError((error, c) => {
    if (error instanceof EmulatorError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(error.body, error.status);
    }
    // basic auth answers through an HTTPException whose response is already JSON.
    if (error instanceof HTTPException) return error.getResponse();
    console.error(`sendauth-emulator: ${c.req.method} ${c.req.path} failed:`, error);
    return c.json({ error: 'Internal emulator error' }, 500);
  });
  app.notFound((c) => c.json({ error: `No such endpoint: ${c.req.method} ${c.req.path}` }, 404));

  // Before basic auth: a person opens these from a notification's link, not the site's backend.
  registerPageRoutes(app, deps);

  app.use(
    '*',
    basicAuth({
      username,
      password,
      realm: 'SendAuth Emulator',
      invalidUserMessage: { error: 'Unauthorized: missing or wrong basic-auth credentials' },
      onAuthSuccess: (c, user) => {
        c.set('actor', user);
      },
    }),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: `Request body is larger than ${MAX_BODY_BYTES} bytes` }, 413),
    }),
  );

  registerUserRoutes(app, deps);
  registerTransactionRoutes(app, deps);
  if (ceremonyEndpoints) registerCeremonyRoutes(app, deps);
  return app;
}
