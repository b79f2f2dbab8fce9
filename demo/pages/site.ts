/**
 * What the demo's pages share: calls to the site's own endpoints that always
 * end in something a visitor can read, and the page-level message boxes.
 */

export type SiteAnswer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; message: string; code?: string };

/**
 * Calls the site's own endpoints (`/session`, `/logout`, `/account/email`; the proxy's go through `ProxyClient`). State-changing
 * calls send JSON, which with the browser's own Origin header is what the
 * server's CSRF check wants. Never throws.
 */
export async function callSite<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body: object = {}): Promise<SiteAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: method === 'GET' ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return { ok: false, status: 0, message: 'We could not reach the server. Check your connection and try again.' };
  }
  const answer: unknown = await response.json().catch(() => undefined);
  if (response.ok) return { ok: true, status: response.status, body: answer as T };
  const error = readError(answer);
  return {
    ok: false,
    status: response.status,
    message: error?.message ?? `The server could not do this (HTTP ${response.status}). Please try again.`,
    ...(error?.code ? { code: error.code } : {}),
  };
}

function readError(body: unknown): { code?: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string' || message === '') return undefined;
  return typeof code === 'string' ? { code, message } : { message };
}

/** The page's one alert box: shows `message`, or hides itself when given `undefined`. */
export function showPageError(message: string | undefined): void {
  const box = document.getElementById('page-error');
  if (!box) return;
  box.textContent = message ?? '';
  box.hidden = message === undefined;
  if (message !== undefined) box.focus();
}

/** Finds an element the page's HTML is known to have. */
export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element as T;
}
