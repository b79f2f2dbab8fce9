/**
 * THE one module that knows SendAuth's ceremony endpoints. They are an
 * assumption (DESIGN.md, "The ceremony endpoints of SendAuth"): SendAuth's
 * public spec does not list them. If the assumption changes, this file does.
 *
 * - `GET  /api/v1/transactions/{txID}/webauthn` → `{ kind, options, expiresAt }`
 * - `POST /api/v1/transactions/{txID}/webauthn` (the WebAuthn response JSON) → `{ state }`
 *
 * Errors beyond the transaction table (404 → `tx-not-found`, 410 → `tx-expired`):
 * - 409 `{ error, state }`: the TX is no longer pending (or is being verified); `state` says why.
 * - 400 `{ error, state: "denied" }` on POST: verification failed and the TX is denied.
 */
import { ERROR_CODES, errorFacts, type ErrorCode } from '../error-codes.js';
import type { CeremonyOptions, CeremonyResponse, CeremonyResult, TransactionState } from '../types.js';
import { isTransactionState } from './answers.js';
import { CeremonyResponseProblem, rebuildCeremonyResponse } from './ceremony-response.js';
import type { Call } from './transport.js';
import { checkUuid, isPlainObject, refuseInput } from './validate.js';

/** The code whose registry entry names this TX state (`states`). */
function codeOfState(state: TransactionState): ErrorCode | undefined {
  return ERROR_CODES.find((code) => errorFacts(code).states?.includes(state));
}

function stateOf(body: unknown): TransactionState | undefined {
  return isPlainObject(body) && isTransactionState(body.state) ? body.state : undefined;
}

function ceremonyPath(txId: string): string {
  return `api/v1/transactions/${encodeURIComponent(txId)}/webauthn`;
}

/** 409 by the TX's `state`; a 409 without a known one falls through to `upstream`. */
function getCeremonyErrorCode(status: number, body: unknown): ErrorCode | undefined {
  const state = stateOf(body);
  return status === 409 && state ? codeOfState(state) : undefined;
}

function completeCeremonyErrorCode(status: number, body: unknown): ErrorCode | undefined {
  if (status === 400 && stateOf(body) === 'denied') return 'tx-denied';
  return getCeremonyErrorCode(status, body);
}

function isCeremonyOptions(body: unknown): body is CeremonyOptions {
  return (
    isPlainObject(body) &&
    (body.kind === 'registration' || body.kind === 'authentication') &&
    isPlainObject(body.options) &&
    typeof body.options.challenge === 'string' &&
    typeof body.expiresAt === 'string'
  );
}

function isCeremonyResult(body: unknown): body is CeremonyResult {
  return stateOf(body) !== undefined;
}

export function getCeremonyCall(txId: string): Call<CeremonyOptions> {
  const operation = 'getCeremony';
  return {
    operation,
    method: 'get',
    path: ceremonyPath(checkUuid(operation, 'txId', txId)),
    answer: isCeremonyOptions,
    errorCode: getCeremonyErrorCode,
  };
}

/**
 * The WebAuthn response is rebuilt from its known fields (`ceremony-response.ts`)
 * and only that is sent; SendAuth verifies its content.
 */
export function completeCeremonyCall(txId: string, response: CeremonyResponse): Call<CeremonyResult> {
  const operation = 'completeCeremony';
  const path = ceremonyPath(checkUuid(operation, 'txId', txId));
  let json: CeremonyResponse;
  try {
    json = rebuildCeremonyResponse(response);
  } catch (error) {
    if (error instanceof CeremonyResponseProblem) refuseInput(operation, `response is not a WebAuthn response JSON: ${error.message}`);
    throw error;
  }
  return { operation, method: 'post', path, json, answer: isCeremonyResult, errorCode: completeCeremonyErrorCode };
}
