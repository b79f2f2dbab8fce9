/**
 * A request sent with node:http as is, for what `fetch` will not send: a
 * malformed Host header, a body that arrives late.
 */
import { request } from 'node:http';

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
