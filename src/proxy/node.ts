import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener, RequestError, type HttpBindings } from '@hono/node-server';
import type { ProxyContext, SendAuthProxyHandler } from './options.js';
import { ProxyRefusal, refusalResponse } from './proxy-refusal.js';
import { checkJsonDepth, MAX_JSON_DEPTH } from './validate.js';

/** What a framework may have left on a Node request: Express/body-parser's `req.body`, Firebase's `rawBody`. */
export type FrameworkRequest = IncomingMessage & { originalUrl?: string; body?: unknown; rawBody?: unknown };

/**
 * Adapts the proxy's Fetch handler to `node:http` and Express. With
 * `node:http`, route the basePath's requests to it; with Express,
 * `app.use('/sendauth', toNodeListener(proxy))` (Express strips the mount
 * path from `req.url`; its `originalUrl` is put back so the proxy sees the
 * path it was configured with). The socket's address is passed on as the
 * client IP for rate limiting.
 *
 * A body parser mounted ahead of it (`express.json()`, `express.text()`,
 * `express.raw()`, body-parser) has read the request already: the proxy then
 * uses what it left in `req.body` — a string or bytes as they are, parsed JSON
 * (of a JSON request) serialised again (one nested deeper than the proxy takes is
 * the visitor's 400, as without the parser). When a JSON request's body was read and
 * nothing usable was left, the proxy answers 500 and reports the site's
 * misconfiguration through `onError`, naming the fix; the visitor never gets a
 * 400 for it.
 */
export function toNodeListener(handler: SendAuthProxyHandler): (req: FrameworkRequest, res: ServerResponse) => Promise<void> {
  const listener = getRequestListener(
    (request, env) => {
      const incoming = (env as HttpBindings).incoming as FrameworkRequest & { [UNREADABLE]?: string };
      const context: ProxyContext = {};
      const clientIp = incoming.socket.remoteAddress;
      if (clientIp !== undefined) context.clientIp = clientIp;
      if (incoming[UNREADABLE] !== undefined) context.unreadableBody = incoming[UNREADABLE];
      return handler(request, context);
    },
    {
      // A request Node could not turn into a Fetch Request (a bad Host header, say) still gets the JSON error shape.
      errorHandler: (error) =>
        refusalResponse(
          error instanceof RequestError
            ? new ProxyRefusal('invalid-request', `The request could not be read: ${error.message}.`)
            : new ProxyRefusal('upstream', 'The server could not complete this request.', { status: 500 }),
        ),
    },
  );
  return (req, res) => {
    if (typeof req.originalUrl === 'string') req.url = req.originalUrl;
    adoptFrameworkBody(req);
    return listener(req, res);
  };
}

const UNREADABLE = Symbol('sendauth.unreadableBody');

function isTooDeep(body: unknown): boolean {
  try {
    checkJsonDepth(body);
    return false;
  } catch {
    return true;
  }
}

function isJsonRequest(req: IncomingMessage): boolean {
  const mediaType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json' || (mediaType?.endsWith('+json') ?? false);
}

/** The bytes a framework's `req.body` stands for, or `undefined` when it stands for none the proxy can trust. */
function bodyBytes(req: FrameworkRequest): Buffer | undefined {
  const { body } = req;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A JSON request's parsed body: what JSON.parse gave (express.json() only parses JSON media types).
  if (isJsonRequest(req) && body !== undefined && (typeof body === 'object' || typeof body === 'number' || typeof body === 'boolean')) {
    // Too deep to serialise again, maybe (JSON.stringify recurses): the visitor's bad input, not the
    // site's setup. A stand-in just past the proxy's depth limit gets the 400 the original would.
    if (isTooDeep(body)) return Buffer.from(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`, 'utf8');
    try {
      return Buffer.from(JSON.stringify(body), 'utf8');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * When something read the request stream before the proxy, hands the proxy
 * the body it left (as `rawBody`, which the Node adapter reads instead of the
 * stream), or marks the request so the proxy reports the misconfiguration.
 */
function adoptFrameworkBody(req: FrameworkRequest): void {
  if (req.rawBody instanceof Buffer) return; // Firebase/Cloud Functions: the adapter uses it as is
  if (!req.readableDidRead && !req.readableEnded) return; // untouched: the proxy reads the stream itself
  const bytes = bodyBytes(req);
  if (bytes === undefined && isJsonRequest(req)) {
    const left = req.body === undefined ? 'left req.body undefined' : `left a req.body the proxy cannot trust (${typeof req.body})`;
    (req as FrameworkRequest & { [UNREADABLE]?: string })[UNREADABLE] =
      `toNodeListener: something ahead of the SendAuth proxy read the request body of ${req.method} ${req.url} and ${left}. ` +
      `Mount the proxy before any body parser (app.use('/sendauth', toNodeListener(proxy)) above app.use(express.json())), ` +
      'or leave the body in req.body (parsed JSON, a string or a Buffer).';
  }
  // Without usable bytes (a form a site's urlencoded parser read, say) the body is empty: the CSRF rule refuses it anyway.
  const body = bytes ?? Buffer.alloc(0);
  req.rawBody = body;
  req.headers['content-length'] = String(body.length);
  delete req.headers['transfer-encoding'];
}
