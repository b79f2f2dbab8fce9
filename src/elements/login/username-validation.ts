/**
 * `<sendauth-login>`'s username field, by the field rules every layer reads
 * (`field-rules.ts`): an email address is sent in its one form, so the
 * address typed here finds the account `<sendauth-register signup>` made
 * from the same address, whatever its case, spaces or IDN spelling.
 */
import { normalizeUsername } from '../../field-rules.js';
import { FIELD_MESSAGES, type FieldMessage } from '../field-messages.js';

/** What is wrong with the typed username (the key of its field message), or `undefined`. */
export function validateUsername(raw: string): FieldMessage | undefined {
  const { problem } = normalizeUsername(raw);
  return problem && FIELD_MESSAGES[problem];
}

/** The username the element sends. */
export function normalizeLoginUsername(raw: string): string {
  return normalizeUsername(raw).value;
}
