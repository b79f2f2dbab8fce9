/**
 * Ready-made states for browser tests, built with the real stack (proxy →
 * emulator) and the virtual authenticator.
 */
import { performRegistration } from '../../../src/ceremony/index.js';
import { ProxyClient } from '../../../src/client/index.js';
import { addAuthenticator, createUser, signInAs, signOut, type CreateUserPayload, type CreatedUser } from './commands.js';

/**
 * A fresh user who already holds a passkey on this page's (new) virtual
 * authenticator, registered through `/sendauth`. The page is left signed out,
 * ready for `<sendauth-login>`.
 */
export async function createUserWithPasskey(options: CreateUserPayload = {}): Promise<CreatedUser> {
  await addAuthenticator();
  const user = await createUser(options);
  signInAs(user.userId);
  try {
    const client = new ProxyClient();
    const start = await client.register();
    if (start.kind !== 'registration' || start.mode !== 'webauthn') throw new Error(`register answered a ${start.kind} TX`);
    const response = await performRegistration(start.options);
    await client.verify(start.tx, response);
  } finally {
    signOut();
  }
  return user;
}
