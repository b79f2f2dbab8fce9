import type { SignupRequest } from '../../types.js';
import type { SendAuthStrings } from '../strings.js';

export type SignupField = keyof SignupRequest;
/** Each problem is the key of its readable message in the strings table. */
export type SignupProblem = keyof Pick<SendAuthStrings, 'fieldRequired' | 'fieldLength' | 'emailInvalid'>;
export type SignupProblems = Partial<Record<SignupField, SignupProblem>>;

/** SendAuth's limits (openapi.yaml, `User`): names 2–50 characters, email at most 256. */
const NAME_LENGTH = { min: 2, max: 50 };
const EMAIL_MAX_LENGTH = 256;
/** Deliberately loose: something@something.tld. The proxy and SendAuth have the last word. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with each signup field, after trimming. Empty when all is well. */
export function validateSignup(values: SignupRequest): SignupProblems {
  const problems: SignupProblems = {};
  for (const field of ['firstName', 'lastName'] as const) {
    const value = values[field].trim();
    if (!value) problems[field] = 'fieldRequired';
    else if (value.length < NAME_LENGTH.min || value.length > NAME_LENGTH.max) problems[field] = 'fieldLength';
  }
  const email = values.email.trim();
  if (!email) problems.email = 'fieldRequired';
  else if (email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) problems.email = 'emailInvalid';
  return problems;
}
