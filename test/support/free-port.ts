import { createServer, type AddressInfo } from 'node:net';

/**
 * A loopback port nothing listens on right now, for a server that cannot be handed port 0 (a
 * redis-server restarted on the same port, WebKitWebDriver, a web-test-runner whose port goes into
 * its page URLs): bound on `host`, then released. Another process could take it in between; the
 * callers start their server at once.
 *
 * @param host the address to bind. @default '127.0.0.1'
 * @throws Error when the bind fails
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
