/**
 * The sign-up fields, by the field rules every layer reads (`field-rules.ts`):
 * what is wrong with each (as the key of its readable message), and the one
 * form the element sends. The proxy applies the same rules, so what passes
 * here passes there.
 */
import { normalizeEmail, normalizeName, type NormalizedField } from '../../field-rules.js';
import type { SignupRequest } from '../../wire.js';
import { FIELD_MESSAGES, type FieldMessage } from '../field-messages.js';

export type SignupField = Exclude<keyof SignupRequest, 'mode'>;
/** Each problem is the key of its readable message in the strings table. */
export type SignupProblem = FieldMessage;
export type SignupProblems = Partial<Record<SignupField, SignupProblem>>;

function normalizeSignupField(field: SignupField, raw: string): NormalizedField {
  return field === 'email' ? normalizeEmail(raw) : normalizeName(raw);
}

/** What is wrong with each signup field. Empty when all is well. */
export function validateSignup(values: SignupRequest): SignupProblems {
  const problems: SignupProblems = {};
  for (const field of ['firstName', 'lastName', 'email'] as const) {
    const { problem } = normalizeSignupField(field, values[field]);
    if (problem) problems[field] = FIELD_MESSAGES[problem];
  }
  return problems;
}

/** The body the element sends: each field in its one form (trimmed, NFC; the email lower case with an ASCII domain). */
export function normalizeSignup(values: SignupRequest): SignupRequest {
  return {
    firstName: normalizeName(values.firstName).value,
    lastName: normalizeName(values.lastName).value,
    email: normalizeEmail(values.email).value,
  };
}
