/** What the ceremony layer decides before any prompt: support, secure context, RP ID. */
import { expect } from '@open-wc/testing';
import { checkCeremonySupport, performAuthentication, performRegistration } from '../../../src/ceremony/index.js';
import { rpIdFitsHost } from '../../../src/ceremony/rp-id-fits-host.js';
import { needs, withoutWebAuthn } from '../support/engine.js';
import { expectCeremonyError, randomBase64Url } from './helpers.js';

describe('checks before the prompt', () => {
  it('finds WebAuthn supported on http://localhost (a secure context)', needs('webauthn', () => {
    expect(window.isSecureContext).to.equal(true);
    expect(checkCeremonySupport()).to.equal(undefined);
  }));

  it('says `not-supported` where the engine has no WebAuthn (WebKitGTK for real), and refuses a ceremony with it', async () => {
    expect(window.isSecureContext).to.equal(true);
    const restore = withoutWebAuthn();
    try {
      expect(checkCeremonySupport()).to.equal('not-supported');
      await expectCeremonyError(performAuthentication({ challenge: randomBase64Url(), rpId: 'localhost' }), 'not-supported');
    } finally {
      restore();
    }
  });

  it('refuses options for another RP ID with `rp-mismatch` (authentication)', needs('webauthn', async () => {
    const error = await expectCeremonyError(
      performAuthentication({ challenge: randomBase64Url(), rpId: 'example.com' }),
      'rp-mismatch',
    );
    expect(error.message).to.contain('example.com').and.contain('localhost');
  }));

  it('refuses options for another RP ID with `rp-mismatch` (registration)', needs('webauthn', async () => {
    await expectCeremonyError(
      performRegistration({
        challenge: randomBase64Url(),
        rp: { id: 'example.com', name: 'Elsewhere' },
        user: { id: randomBase64Url(16), name: 'x@example.com', displayName: 'X' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      }),
      'rp-mismatch',
    );
  }));

  it('accepts an RP ID equal to the host or a parent domain of it', () => {
    expect(rpIdFitsHost('localhost', 'localhost')).to.equal(true);
    expect(rpIdFitsHost('example.com', 'login.example.com')).to.equal(true);
    expect(rpIdFitsHost('Example.COM', 'example.com')).to.equal(true);
    expect(rpIdFitsHost('example.com', 'badexample.com')).to.equal(false);
    expect(rpIdFitsHost('login.example.com', 'example.com')).to.equal(false);
  });
});
