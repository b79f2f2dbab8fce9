/**
 * The step-up action of the account page, in the words the person approves on
 * their device: the page puts it in `<sendauth-approve message>`, the site's
 * server confirms exactly this text with `proxy.confirmApproval` before it acts.
 */
import { normalizeEmail } from '../src/field-rules.js';

/** The message for changing to `email`, in its one form (as SendAuth will keep it), so page and server agree. */
export function emailChangeMessage(email: string): string {
  return `Change your Harbor email to ${normalizeEmail(email).value}`;
}
