/** Which field message (a key of the strings table) the elements show for each problem of the field rules (`field-rules.ts`). */
import type { FieldProblem } from '../field-rules.js';
import type { SendAuthStrings } from './strings.js';

/** A field message: the key of its readable text in the strings table. */
export type FieldMessage = keyof Pick<
  SendAuthStrings,
  'fieldRequired' | 'fieldLength' | 'fieldCharacters' | 'emailInvalid' | 'emailTooLong' | 'emailUnsupported'
>;

export const FIELD_MESSAGES: Readonly<Record<FieldProblem, FieldMessage>> = {
  required: 'fieldRequired',
  length: 'fieldLength',
  'not-text': 'fieldCharacters',
  'too-long': 'emailTooLong',
  'not-an-email': 'emailInvalid',
  'email-local-part': 'emailUnsupported',
};
