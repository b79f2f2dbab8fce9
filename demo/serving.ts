/**
 * How the demo serves what is not an endpoint of its own: plain files as they
 * are on disk, pages through Vite, Vite's own answers handed Node's request
 * and response, and the security headers on all of them.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { HttpBindings } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Handler, MiddlewareHandler } from 'hono';
import { ProxyRefusal } from '../src/server.js';

/** Hono's environment on Node: the request's `incoming` and `outgoing`. */
export type DemoEnv = { Bindings: HttpBindings };

/** Pages and assets are all same-origin files: nothing inline, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** On every answer: the site's own, the proxy's, the plain files, Vite's pages and every error. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

/** A connect-style middleware: answers on `res`, or calls `next` when it has nothing (or an error). */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** What the demo needs of Vite's dev server (a `ViteDevServer` in middleware mode with `appType: 'custom'`). */
export interface PageServer {
  /** Serves the pages' modules and assets (`/@vite/client`, `/pages/*.ts`, `/styles.css`, …). */
  middlewares: NodeMiddleware;
  /** A page's HTML as the browser gets it (with the HMR client). `url` is the file's, `originalUrl` the request's. */
  transformIndexHtml(url: string, html: string, originalUrl?: string): Promise<string>;
}

/** One file, as it is on disk; `no-cache` so an edit or a rebuild shows on the next load. 404 when it is missing. */
export function plainFile(file: string): Handler<DemoEnv> {
  const serve = serveStatic<DemoEnv>({ path: file });
  return async (c) => {
    c.header('Cache-Control', 'no-cache');
    const served = await serve(c, async () => undefined);
    if (served) return served;
    throw new ProxyRefusal('invalid-request', `Not found: ${path.basename(file)}`, { status: 404 });
  };
}

/** A page through Vite (HMR client, module graph); read on every request, so an edit shows on the next load. */
export function page(file: string, dir: string, vite: PageServer): Handler<DemoEnv> {
  return async (c) => {
    const html = await readFile(path.join(dir, file), 'utf8');
    return c.html(await vite.transformIndexHtml(`/${file}`, html, c.req.path), 200, { 'Cache-Control': 'no-cache' });
  };
}

/** `SECURITY_HEADERS` on every answer Hono sends; `handOver` puts them on the ones Vite writes itself. */
export function securityHeaders(): MiddlewareHandler<DemoEnv> {
  return async (c, next) => {
    await next();
    if (c.res === RESPONSE_ALREADY_SENT) return;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  };
}

/**
 * Hands Node's request and response to `middleware`. Resolves `true` once it
 * has answered (the response is closed), `false` when it calls `next`
 * without answering; rejects with the error it passes to `next`.
 */
export function handOver(middleware: NodeMiddleware, { incoming, outgoing }: HttpBindings): Promise<boolean> {
  // Node merges headers set here into whatever the middleware writes.
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) outgoing.setHeader(name, value);
  return new Promise((resolve, reject) => {
    const answered = (): void => resolve(true);
    outgoing.once('close', answered);
    middleware(incoming, outgoing, (error) => {
      outgoing.off('close', answered);
      if (error === undefined || error === null) resolve(false);
      else reject(error);
    });
  });
}
