import { EMAIL_MAX_LENGTH, EMAIL_PATTERN, NAME_LENGTH } from '../../types.js';
import type { SignupRequest } from '../../wire.js';
import type { SendAuthStrings } from '../strings.js';

export type SignupField = keyof SignupRequest;
/** Each problem is the key of its readable message in the strings table. */
export type SignupProblem = keyof Pick<SendAuthStrings, 'fieldRequired' | 'fieldLength' | 'emailInvalid'>;
export type SignupProblems = Partial<Record<SignupField, SignupProblem>>;


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
  else if (email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email)) problems.email = 'emailInvalid';
  return problems;
}
