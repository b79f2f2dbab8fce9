import type { ErrorCode } from '../types.js';

/**
 * `retryable` in `sendauth-error`: whether the same visitor pressing the
 * button again (after fixing what they typed, or waiting a little) can
 * succeed, without the site changing anything. Sites use it to decide between
 * "Try again" and another way in. It never disables anything: the element can
 * always start again.
 *
 * | code                 | retryable | why                                                     |
 * |----------------------|-----------|---------------------------------------------------------|
 * | `cancelled`          | yes       | the visitor closed the prompt or refused verification   |
 * | `timeout`            | yes       | nothing settled in time; a new TX may                   |
 * | `network`            | yes       | the connection may come back                            |
 * | `upstream`           | yes       | SendAuth may come back                                  |
 * | `rate-limited`       | yes       | after the limit's window                                |
 * | `tx-expired`         | yes       | a new attempt makes a new TX                            |
 * | `tx-denied`          | yes       | a new attempt makes a new TX                            |
 * | `tx-not-found`       | yes       | a new attempt makes a new TX                            |
 * | `replayed`           | yes       | a new attempt makes a new TX                            |
 * | `user-not-found`     | yes       | the visitor may have mistyped the email                 |
 * | `invalid-request`    | yes       | the visitor may fix what they typed                     |
 * | `no-passkey`         | no        | the account needs a passkey first (sign up, register);  |
 * |                      |           | the proxy answers unknown addresses the same way        |
 * | `already-registered` | no        | there is nothing left to do                             |
 * | `already-exists`     | no        | the visitor should sign in instead                      |
 * | `unauthorized`       | no        | the site must sign the visitor in first                 |
 * | `forbidden`          | no        | the site does not allow it                              |
 * | `not-supported`      | no        | this browser cannot do passkeys                         |
 * | `insecure-context`   | no        | the page must be served over https                      |
 * | `rp-mismatch`        | no        | the site is misconfigured                               |
 */
export const RETRYABLE: Readonly<Record<ErrorCode, boolean>> = {
  cancelled: true,
  timeout: true,
  network: true,
  upstream: true,
  'rate-limited': true,
  'tx-expired': true,
  'tx-denied': true,
  'tx-not-found': true,
  replayed: true,
  'user-not-found': true,
  'invalid-request': true,
  'no-passkey': false,
  'already-registered': false,
  'already-exists': false,
  unauthorized: false,
  forbidden: false,
  'not-supported': false,
  'insecure-context': false,
  'rp-mismatch': false,
};

export function isRetryable(code: ErrorCode): boolean {
  return RETRYABLE[code];
}
