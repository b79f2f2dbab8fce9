/**
 * Requests `fetch` will not send: with node:http as is (a malformed Host
 * header, a body that arrives late), or as raw bytes on a TCP socket (what
 * even node:http refuses to send).
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, setHost: !init.headers?.host }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface RawExchange {
  status: number;
  /** Header names lowercased; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** Decodes a complete chunked body, or returns `undefined` while it is incomplete. */
function dechunk(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw new Error('malformed chunked answer');
    if (size === 0) return data.indexOf('\r\n\r\n', lineEnd) >= 0 ? Buffer.concat(parts) : undefined;
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return undefined;
    parts.push(data.subarray(start, start + size));
    at = start + size + 2;
  }
}

/**
 * Writes `bytes` to a plain TCP connection to `url`'s host and port, exactly
 * as given (so a request can be anything a client could put on the wire:
 * invalid header names, raw non-ASCII, duplicate framing headers), and reads
 * the first HTTP answer. Resolves once that answer is complete (by
 * Content-Length, chunked framing or the server closing); rejects if the
 * server closes without one or after `timeoutMs` (default 5000).
 */
export function rawExchange(url: string, bytes: string | Buffer, timeoutMs = 5000): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | undefined, answer?: RawExchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer as RawExchange);
    };
    const timer = setTimeout(() => finish(new Error(`no complete answer within ${timeoutMs} ms; got ${JSON.stringify(received.toString('latin1').slice(0, 200))}`)), timeoutMs);

    const tryParse = (closed: boolean): void => {
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (closed) finish(new Error(`the server closed without an answer; got ${JSON.stringify(received.toString('latin1'))}`));
        return;
      }
      const [statusLine = '', ...lines] = received.subarray(0, headEnd).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
      }
      const rest = received.subarray(headEnd + 4);
      let body: Buffer | undefined;
      if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) body = dechunk(rest);
      else if (headers['content-length'] !== undefined) {
        const length = Number(headers['content-length']);
        body = rest.length >= length ? rest.subarray(0, length) : undefined;
      } else if (closed || status === 204 || status === 304) body = rest;
      if (body !== undefined) finish(undefined, { status, headers, body: body.toString('utf8') });
      else if (closed) finish(new Error(`the server closed mid-answer; got ${JSON.stringify(received.toString('latin1').slice(0, 200))}`));
    };

    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('close', () => tryParse(true));
    // A server that answers and closes before reading everything resets the connection: the answer already read still counts.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? tryParse(true) : finish(error)));
    socket.write(bytes);
  });
}
