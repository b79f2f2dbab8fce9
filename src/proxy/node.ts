import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener, RequestError, type HttpBindings } from '@hono/node-server';
import type { SendAuthProxyHandler } from './options.js';
import { ProxyRefusal, refusalResponse } from './proxy-refusal.js';

/**
 * Adapts the proxy's Fetch handler to `node:http` and Express. With
 * `node:http`, route the basePath's requests to it; with Express,
 * `app.use('/sendauth', toNodeListener(proxy))` (Express strips the mount
 * path from `req.url`; its `originalUrl` is put back so the proxy sees the
 * path it was configured with). The socket's address is passed on as the
 * client IP for rate limiting.
 */
export function toNodeListener(
  handler: SendAuthProxyHandler,
): (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => Promise<void> {
  const listener = getRequestListener(
    (request, env) => {
      const clientIp = (env as HttpBindings).incoming.socket.remoteAddress;
      return handler(request, clientIp === undefined ? {} : { clientIp });
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
    return listener(req, res);
  };
}
