/**
 * The demo site's own session: a cookie holding the signed-in SendAuth user id
 * and an expiry, signed with HMAC-SHA256. This is the site's business, not the
 * package's: the proxy only calls `onVerified` (where the cookie is set) and
 * `getSessionUserId` (where it is read).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'demo_session';

/** A week, like a typical "remember me". */
const MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export interface SessionCookies {
  /** A `Set-Cookie` value that signs `userId` in. */
  issue(userId: string): string;
  /** The signed-in user id from a `Cookie` header, or `undefined` when there is none or it was tampered with. */
  read(cookieHeader: string | null | undefined): string | undefined;
  /** A `Set-Cookie` value that signs out. */
  clear(): string;
}

/**
 * @param secret the HMAC key; when absent a random one is made, so sessions
 *   end when the server restarts (accounts do not: they live in the emulator).
 * @param now clock in ms, for tests.
 */
export function createSessionCookies({ secret, now = Date.now }: { secret?: string; now?: () => number } = {}): SessionCookies {
  const key = secret && secret.length > 0 ? Buffer.from(secret, 'utf8') : randomBytes(32);
  const sign = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  const attributes = 'Path=/; HttpOnly; SameSite=Lax';

  return {
    issue(userId) {
      const expires = Math.floor(now() / 1000) + MAX_AGE_SECONDS;
      const payload = `${encodeURIComponent(userId)}.${expires}`;
      const value = `${payload}.${sign(payload).toString('base64url')}`;
      return `${SESSION_COOKIE}=${value}; ${attributes}; Max-Age=${MAX_AGE_SECONDS}`;
    },
    read(cookieHeader) {
      const value = readCookie(cookieHeader, SESSION_COOKIE);
      const match = value ? /^([^.]+)\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
      if (!match) return undefined;
      const [, encodedUserId = '', expires = '', signature = ''] = match;
      const expected = sign(`${encodedUserId}.${expires}`);
      const given = Buffer.from(signature, 'base64url');
      // Constant time, so the signature cannot be guessed byte by byte from response times.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      if (Number(expires) * 1000 <= now()) return undefined;
      try {
        return decodeURIComponent(encodedUserId);
      } catch {
        return undefined;
      }
    },
    clear() {
      return `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`;
    },
  };
}

function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
