/**
 * `ProxyClient` against the real proxies of the test server: each error code
 * reached the way a visitor would reach it, plus the answers that do not come
 * from the proxy (a closed port, a plain 404 page).
 */
import { expect } from '@open-wc/testing';
import { performAuthentication, performRegistration } from '../../../src/ceremony/index.js';
import { ProxyClient, isProxyError } from '../../../src/client/index.js';
import {
  ENDPOINTS,
  addAuthenticator,
  advanceClock,
  createUser,
  resetClock,
  resetRateLimit,
  sessionUserId,
  signOut,
  stackInfo, LIMITED_WINDOW_MS,
} from '../support/commands.js';
import { needs } from '../support/engine.js';
import { createUserWithPasskey } from '../support/fixtures.js';
import { expectProxyError } from './helpers.js';

const client = new ProxyClient();

describe('ProxyClient against the real proxy', () => {
  beforeEach(() => signOut());
  afterEach(async () => {
    signOut();
    await resetClock();
  });

  it('signs up a new user and opens their session', needs('webauthn', async () => {
    await addAuthenticator();
    const email = `signup-${crypto.randomUUID()}@example.com`;
    const start = await client.signup({ email, firstName: 'Sign', lastName: 'Up' });
    if (start.kind !== 'registration' || start.mode !== 'webauthn') throw new Error('expected a registration TX');
    const result = await client.verify(start.tx, await performRegistration(start.options));
    expect(result.state).to.equal('verified');
    expect(result.kind).to.equal('registration');
    expect(sessionUserId()).to.equal(result.userId);
  }));

  it('refuses signup where it is not enabled', async () => {
    const noSignup = new ProxyClient({ endpoint: ENDPOINTS.noSignup });
    await expectProxyError(noSignup.signup({ email: `x-${crypto.randomUUID()}@example.com`, firstName: 'No', lastName: 'Signup' }), 'invalid-request');
  });

  it('cancels a TX, and reports its state', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const start = await client.authenticate({ userId: user.userId });
    expect(await client.status(start.tx)).to.deep.equal({ state: 'pending' });
    expect(await client.cancel(start.tx, start.proof)).to.deep.equal({ state: 'cancelled' });
    expect(await client.status(start.tx)).to.deep.equal({ state: 'cancelled' });
  }));

  it('answers `tx-not-found` for a TX it never started', async () => {
    await expectProxyError(client.status(crypto.randomUUID()), 'tx-not-found', 404);
  });

  it('answers `invalid-request` for a malformed body', async () => {
    await expectProxyError(client.authenticate({ userId: 'not-a-uuid' }), 'invalid-request', 400);
  });

  it('answers `replayed` when a verified TX is verified again', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const start = await client.authenticate({ userId: user.userId });
    if (start.kind !== 'authentication' || start.mode !== 'webauthn') throw new Error('expected an authentication TX');
    const response = await performAuthentication(start.options);
    await client.verify(start.tx, response);
    await expectProxyError(client.verify(start.tx, response), 'replayed');
  }));

  it('answers `tx-expired` when the TX outlived its 5 minutes (emulator clock moved)', needs('webauthn', async () => {
    const user = await createUserWithPasskey();
    const start = await client.authenticate({ userId: user.userId });
    if (start.kind !== 'authentication' || start.mode !== 'webauthn') throw new Error('expected an authentication TX');
    const response = await performAuthentication(start.options);
    await advanceClock(5 * 60_000 + 1_000);
    await expectProxyError(client.verify(start.tx, response), 'tx-expired');
  }));

  it('answers `rate-limited` (429) on the second start within the window, with how long to wait (Retry-After)', async () => {
    await resetRateLimit();
    const limited = new ProxyClient({ endpoint: ENDPOINTS.limited });
    const user = await createUser();
    const first = await limited.authenticate({ userId: user.userId }).catch((error: unknown) => error);
    expect(isProxyError(first) && first.code === 'rate-limited', 'the first start passes the limit').to.equal(false);
    const error = await expectProxyError(limited.authenticate({ userId: user.userId }), 'rate-limited', 429);
    expect(error.retryAfterMs, 'Retry-After, in ms').to.be.within(1_000, LIMITED_WINDOW_MS);
    expect(error.retryAfterMs! % 1_000, 'whole seconds, as the header says').to.equal(0);
    // Other failures carry no wait.
    const other = await expectProxyError(new ProxyClient().authenticate({ userId: 'not-a-uuid' }), 'invalid-request', 400);
    expect(other.retryAfterMs).to.equal(undefined);
  });

  it('answers `upstream` when SendAuth cannot be reached', async () => {
    const down = new ProxyClient({ endpoint: ENDPOINTS.down });
    const error = await expectProxyError(down.authenticate({ userId: crypto.randomUUID() }), 'upstream');
    expect(error.status).to.be.at.least(500);
  });

  it('fails with `network` (status 0) when the proxy cannot be reached', async () => {
    const { unreachableEndpoint } = await stackInfo();
    const unreachable = new ProxyClient({ endpoint: unreachableEndpoint });
    await expectProxyError(unreachable.authenticate({ username: 'someone@example.com' }), 'network', 0);
    await expectProxyError(unreachable.status(crypto.randomUUID()), 'network', 0);
  });

  it('fails with `timeout` (status 0) when the answer takes longer than timeoutMs', async () => {
    const impatient = new ProxyClient({ timeoutMs: 1 });
    await expectProxyError(impatient.authenticate({ userId: crypto.randomUUID() }), 'timeout', 0);
  });

  it('fails with `cancelled` when the caller aborts, and `timeout` for a deadline signal', async () => {
    const controller = new AbortController();
    const request = client.authenticate({ userId: crypto.randomUUID() }, controller.signal);
    controller.abort();
    const error = await expectProxyError(request, 'cancelled', 0);
    expect((error.cause as Error).name).to.equal('AbortError');
    await expectProxyError(client.status(crypto.randomUUID(), AbortSignal.timeout(0)), 'timeout', 0);
  });

  it('maps an answer that is not the proxy’s (a plain 404 page) by its status', async () => {
    const misplaced = new ProxyClient({ endpoint: '/no-proxy-here' });
    await expectProxyError(misplaced.authenticate({ username: 'someone@example.com' }), 'invalid-request', 404);
    await expectProxyError(misplaced.status(crypto.randomUUID()), 'tx-not-found', 404);
  });

  it('sends JSON with the same-origin cookie on every state-changing request', async () => {
    // The proxy refuses register without the session cookie (401) and non-JSON bodies (415):
    // a passing register proves both arrived.
    const user = await createUser();
    document.cookie = `sendauth-test-user=${user.userId}; path=/`;
    const start = await client.register();
    expect(start.kind).to.equal('registration');
    await client.cancel(start.tx, start.proof);
  });
});
