/** Shared by the ceremony-layer tests. */
import { expect } from '@open-wc/testing';
import { isCeremonyError, type CeremonyError } from '../../../src/ceremony/index.js';
import { isProxyError, type ProxyError } from '../../../src/client/index.js';
import type { ErrorCode } from '../../../src/error-codes.js';

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

export async function expectCeremonyError(promise: Promise<unknown>, code: ErrorCode): Promise<CeremonyError> {
  const error = await rejectionOf(promise);
  expect(isCeremonyError(error), `a CeremonyError, got ${String(error)}`).to.equal(true);
  const ceremonyError = error as CeremonyError;
  expect(ceremonyError.code, ceremonyError.message).to.equal(code);
  return ceremonyError;
}

export async function expectProxyError(promise: Promise<unknown>, code: ErrorCode, status?: number): Promise<ProxyError> {
  const error = await rejectionOf(promise);
  expect(isProxyError(error), `a ProxyError, got ${String(error)}`).to.equal(true);
  const proxyError = error as ProxyError;
  expect(proxyError.code, proxyError.message).to.equal(code);
  if (status !== undefined) expect(proxyError.status, proxyError.message).to.equal(status);
  return proxyError;
}

/** base64url of random bytes, as WebAuthn options carry them. */
export function randomBase64Url(bytes = 32): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...data)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
