/**
 * What a person sees of an approval, on both devices (DESIGN.md, "Approval on
 * another device"): a two-digit code the waiting browser shows and the
 * notification repeats (WebTX `message`, with the site's name and the
 * browser's description), so a person approves only the request they made
 * (against push fatigue); and where the notification went, masked, for the
 * waiting browser to say.
 */
import { randomInt } from 'node:crypto';
import type { User, WebTX } from '../types.js';

/** WebTX `message`'s most (openapi.yaml), in code points. */
export const WEBTX_MESSAGE_MAX = 1024;
/** The most of a step-up's `message` the browser may send, in code points: with the rest it stays within `WEBTX_MESSAGE_MAX`. */
export const APPROVAL_MESSAGE_MAX = 512;
const SITE_NAME_MAX = 100;

/** A fresh code: two digits, 10–99 (no leading zero to misread). */
export function newApprovalCode(): string {
  return String(randomInt(10, 100));
}

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/Chrom(?:e|ium)\/|\bCriOS\//, 'Chrome'], // HeadlessChrome too
  [/\bSafari\//, 'Safari'],
];
const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** "Chrome on Linux", "Safari on iPhone", "a browser on Windows", "an unknown browser": from a User-Agent header, for a person's eyes only. */
export function describeBrowser(userAgent: string | null | undefined): string {
  const ua = userAgent ?? '';
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  if (!system) return browser ?? 'an unknown browser';
  return `${browser ?? 'a browser'} on ${system}`;
}

function clip(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
}

export interface ApprovalNotice {
  /** The site's name as the person knows it (the proxy's `approval.siteName`, else the request's host). */
  site: string;
  /** `describeBrowser` of the starting browser. */
  browser: string;
  code: string;
  /** A step-up's message (what the person approves); none for a sign-in. */
  message?: string | undefined;
}

/**
 * The WebTX of an authentication TX (a sign-in or a step-up): its `message` names the site, the
 * browser, the code and, for a step-up, what is approved; at most `WEBTX_MESSAGE_MAX` code points.
 */
export function approvalWebTx({ site, browser, code, message }: ApprovalNotice): WebTX {
  const name = clip(site, SITE_NAME_MAX);
  const what = message === undefined ? `Sign in to ${name} from ${browser}.` : `${name} asks you to approve: “${message}” (from ${browser}).`;
  return { message: clip(`${what} Approve only if ${name} shows the code ${code}.`, WEBTX_MESSAGE_MAX) };
}

/** `ada@example.com` → `a•••@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${[...email.slice(0, at)][0] ?? ''}•••${email.slice(at)}`;
}

/** `+44 20 7946 0958` → `•••• 58`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length < 4 ? '••••' : `•••• ${digits.slice(-2)}`;
}

/**
 * Where SendAuth sends a user's notification, masked: the `messagingPreference` (`email` when
 * unset; `both` is both) among the addresses the user has, else the other one; `[]` for neither.
 * (SendAuth's documented behaviour, as the emulator plays it.)
 */
export function maskedDestinations(user: Pick<User, 'email' | 'phone' | 'messagingPreference'>): string[] {
  const masked = { email: user.email ? maskEmail(user.email) : undefined, sms: user.phone ? maskPhone(user.phone) : undefined };
  const preference = user.messagingPreference ?? 'email';
  const wanted = (preference === 'both' ? ['email', 'sms'] : [preference]) as Array<'email' | 'sms'>;
  const reachable = wanted.map((channel) => masked[channel]).filter((value): value is string => value !== undefined);
  if (reachable.length > 0) return reachable;
  const other = masked.email ?? masked.sms;
  return other === undefined ? [] : [other];
}
