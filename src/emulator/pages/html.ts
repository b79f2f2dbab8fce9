/**
 * The emulator's HTML pages (outbox, respond page): escaping, the shared
 * layout, and the headers every page gets. Pages have no inline script or
 * style; their JS and CSS are files under `/assets/` (see `routes/assets.ts`),
 * so the Content-Security-Policy allows only this origin.
 */
import type { Context } from 'hono';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * Headers of every page: a strict CSP (scripts, styles and fetches from this
 * origin only, no framing), no referrer (a respond link carries a secret), no
 * caching, no MIME sniffing.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

export interface Page {
  title: string;
  /** Already-escaped HTML of `<main>`'s content. */
  main: string;
  /** Already-escaped attributes of `<main>`, e.g. ` data-tx="…"`. */
  mainAttributes?: string;
  /** Module script under `/assets/`, e.g. `respond.js`. */
  script?: string;
}

export function renderPage({ title, main, mainAttributes = '', script }: Page): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/pages.css">
${script === undefined ? '' : `<script type="module" src="/assets/${escapeHtml(script)}"></script>\n`}</head>
<body>
<main${mainAttributes}>
${main}
</main>
</body>
</html>
`;
}

/** Answers with a page and `PAGE_HEADERS`. */
export function pageResponse(c: Context, html: string, status: 200 | 403 | 404 = 200): Response {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
  return c.html(html, status);
}
