/**
 * The step-up action of the account page, in the words the person approves on
 * their device: the page puts it in `<sendauth-approve message>`, the site's
 * server confirms exactly this text with `proxy.confirmApproval` before it acts.
 */
export function emailChangeMessage(email: string): string {
  return `Change your Harbor email to ${email.trim()}`;
}
