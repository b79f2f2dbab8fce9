/**
 * Requests that Node's HTTP parser refuses before any handler runs (headers
 * over `--max-http-header-size`, an invalid header name, raw non-ASCII in the
 * request target, a second Content-Length, a request that took too long)
 * get the emulator's JSON error shape, `{ error }` (openapi.yaml's `Error`),
 * like every other error, instead of Node's default empty-bodied answer.
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** llhttp's error codes (and Node's own) that have a more exact status than 400. */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

interface ParserError extends Error {
  code?: string;
  /** llhttp's short reason, e.g. "Invalid header token". */
  reason?: string;
}

function explain(error: ParserError, status: number): string {
  if (status === 431) return 'Request header fields too large: the request line and headers exceed the size this server reads';
  if (status === 408) return 'Request timeout: the request was not received in time';
  if (status === 413) return 'Request chunk extensions too large';
  const reason = error.reason ?? error.message.replace(/^Parse Error:\s*/, '');
  return `Bad request: not valid HTTP/1.1 (${reason})`;
}

/**
 * The raw HTTP/1.1 answer for a refused request: status line, JSON body,
 * `Connection: close` (after a parse error the connection cannot be reused).
 */
export function clientErrorResponse(error: ParserError): string {
  const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
  const body = JSON.stringify({ error: explain(error, status) });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n' +
    '\r\n' +
    body
  );
}

/**
 * Answers `server`'s client errors itself (`server.on('clientError')`). As
 * Node does by default, it writes only when the socket is writable and no
 * answer on it has started (a half-sent answer must not be corrupted);
 * otherwise, or for a peer that reset the connection, it just closes.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    // `_httpMessage` is Node's in-flight ServerResponse of this socket (what its default handler checks).
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error));
  });
}
