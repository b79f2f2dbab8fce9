/**
 * Attack: put words of one's choosing into a genuine SendAuth notification. The notification of an
 * approval sign-in names the site ("Sign in to Acme from Chrome on Linux. Approve only if Acme
 * shows the code 42."), so a person approves only what they asked for on that site. Without
 * `approval.siteName` the proxy took the name from the request's `Host` header, which anyone who
 * sends their own request chooses; the CSRF rule did not mind (the `Origin` was an allowed one).
 * So an attacker started a sign-in for their victim as `acme-security-check.example`, showed the
 * code (it is in their own start answer) on that page, and the notification vouched for it.
 *
 * Now a site that names its origins (`allowedOrigins`) is named by the first of them, whatever
 * `Host` says; `approval.siteName` still wins. (A site that names neither is named by `Host`, as the
 * README says, and is told to set one.) The browser's description was already safe: the
 * User-Agent is mapped to a fixed list of names.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { StartAnswer } from '../../src/wire.js';
import { notificationOf } from '../support/approve-on-device.js';
import { attackedSite, type AttackedSite } from '../support/attack-site.js';
import { apiClient, createUserWithPasskey, startTestEmulator } from '../support/proxy-fixture.js';

const SITE = 'https://www.acme.example';
const LIE = 'acme-security-check.example';

let emu: RunningEmulator;
const sites: AttackedSite[] = [];
before(async () => {
  emu = await startTestEmulator();
});
after(async () => {
  for (const site of sites) await site.close();
  await emu.close();
});

/** An approval sign-in sent straight to the server, with the Host and User-Agent the attacker likes. */
function startAs(site: AttackedSite, username: string, host: string, origin: string): Promise<StartAnswer> {
  const body = JSON.stringify({ username, mode: 'approval' });
  const { hostname, port } = new URL(site.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method: 'POST',
        path: '/sendauth/authenticate',
        headers: {
          host: host,
          origin,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 - routine security check, approve whatever code you see',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text) as StartAnswer) : reject(new Error(`${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('with allowedOrigins: the notification names the site’s own origin, never the Host header', async () => {
  const site = await attackedSite(emu, { allowedOrigins: [SITE, 'https://acme.example'] });
  sites.push(site);
  const victim = await createUserWithPasskey(apiClient(emu));
  const start = await startAs(site, victim.email, LIE, SITE);
  if (start.mode !== 'approval') throw new Error('unreachable');
  const { message } = await notificationOf(emu, start.tx);
  assert.equal(message, `Sign in to www.acme.example from Chrome on Linux. Approve only if www.acme.example shows the code ${start.code}.`);
  assert.ok(!message.includes(LIE) && !message.includes('routine'), message);
});

test('approval.siteName wins over allowedOrigins and Host', async () => {
  const site = await attackedSite(emu, { allowedOrigins: [SITE], approval: { siteName: 'Acme' } });
  sites.push(site);
  const victim = await createUserWithPasskey(apiClient(emu));
  const start = await startAs(site, victim.email, LIE, SITE);
  if (start.mode !== 'approval') throw new Error('unreachable');
  assert.match((await notificationOf(emu, start.tx)).message, /^Sign in to Acme from Chrome on Linux\. Approve only if Acme shows the code \d\d\.$/);
});
