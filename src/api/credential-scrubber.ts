/**
 * Scrubs the API credentials out of text that came from outside (SendAuth's
 * error text, a network error), before it goes into a `SendAuthError`
 * message. Each secret is replaced by `***` only where it stands as a whole
 * token, in every form it travels in: the Authorization value (`Basic` and
 * its base64 token), the `username:password` pair, and the password alone,
 * each also JSON-escaped and URL-encoded (percent and form encoding).
 *
 * Whole tokens, because replacing every occurrence of a short password would
 * reveal it by its pattern: with password `a`, "database" would read
 * "d***t***b***se". A token boundary is where a word character (a letter,
 * digit, combining mark or `_`) at the secret's edge meets a non-word
 * character or the text's end; for the base64 token, where it meets a
 * non-base64 character. An occurrence inside a longer word is left as it is
 * (it is not the password there); an echo such as `password=hunter2,` or
 * `"hunter2"` is scrubbed.
 */

const REPLACEMENT = '***';
const WORD = '[\\p{L}\\p{N}\\p{M}_]';
/** base64 and base64url characters; `=` only ends a token (padding), so it counts only after one. */
const BASE64_BEFORE = '[A-Za-z0-9+/_-]';
const BASE64_AFTER = '[A-Za-z0-9+/=_-]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `secret` as a regex source that matches it only as a whole token: not
 * preceded by a `before` character when it starts with one, not followed by
 * an `after` character when it ends with one.
 */
function wholeToken(secret: string, before: string, after: string = before): string {
  const chars = [...secret];
  const starts = new RegExp(`^${before}$`, 'u').test(chars[0] ?? '');
  const ends = new RegExp(`^${after}$`, 'u').test(chars[chars.length - 1] ?? '');
  return `${starts ? `(?<!${before})` : ''}${escapeRegExp(secret)}${ends ? `(?!${after})` : ''}`;
}

/** The forms a value takes in JSON strings, URLs and form bodies. */
function encodings(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
}

/**
 * A function that returns `text` with the credentials' whole-token
 * occurrences replaced by `***`. `username` alone is not a secret and stays.
 * @param username the basic-auth username (non-empty, no `:`)
 * @param password the basic-auth password (non-empty)
 */
export function createCredentialScrubber(username: string, password: string): (text: string) => string {
  const token = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  const tokens = new Set([token, token.replace(/=+$/, ''), Buffer.from(`${username}:${password}`, 'utf8').toString('base64url')]);
  const words = new Set<string>();
  for (const pair of [`${username}:${password}`, `${encodeURIComponent(username)}:${encodeURIComponent(password)}`]) {
    for (const form of encodings(pair)) words.add(form);
  }
  for (const form of encodings(password)) words.add(form);

  // Longest first, so the pair or the token is replaced whole before the password inside it.
  const alternatives = [
    ...[...tokens].filter((t) => t !== '').map((t) => ({ length: t.length, source: wholeToken(t, BASE64_BEFORE, BASE64_AFTER) })),
    ...[...words].filter((w) => w !== '').map((w) => ({ length: w.length, source: wholeToken(w, WORD) })),
  ].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(alternatives.map((a) => a.source).join('|'), 'gu');
  return (text) => text.replace(pattern, REPLACEMENT);
}
