/** What a person reads of an approval: the browser's description, masked destinations, the WebTX message's bounds. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approvalWebTx, describeBrowser, maskedDestinations, newApprovalCode, WEBTX_MESSAGE_MAX } from '../../src/proxy/approval-notice.js';

test('describeBrowser names the browser and system of common User-Agents, and never echoes the header', () => {
  const cases: Array<[string | undefined, string]> = [
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1', 'Safari on iPhone'],
    ['Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0', 'Firefox on Android'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', 'Safari on Linux'],
    ['curl/8.5.0', 'an unknown browser'],
    [undefined, 'an unknown browser'],
    ['<script>alert(1)</script> (Windows)', 'a browser on Windows'],
  ];
  for (const [ua, expected] of cases) assert.equal(describeBrowser(ua), expected, String(ua));
});

test('the destination is masked, by messagingPreference among the addresses the user has', () => {
  assert.deepEqual(maskedDestinations({ email: 'ada@example.com' }), ['a•••@example.com']);
  assert.deepEqual(maskedDestinations({ email: 'ada@example.com', phone: '+44 20 7946 0958', messagingPreference: 'sms' }), ['•••• 58']);
  assert.deepEqual(maskedDestinations({ email: 'ada@example.com', phone: '+44 20 7946 0958', messagingPreference: 'both' }), ['a•••@example.com', '•••• 58']);
  assert.deepEqual(maskedDestinations({ email: 'ada@example.com', messagingPreference: 'sms' }), ['a•••@example.com'], 'the other one when the preferred is missing');
  assert.deepEqual(maskedDestinations({}), []);
});

test('the WebTX message holds the site, the browser, the code and the action, within 1024 characters', () => {
  const code = newApprovalCode();
  assert.match(code, /^[1-9]\d$/);
  const { message } = approvalWebTx({ site: 'Acme', browser: 'Chrome on Linux', code, message: 'Pay €120' });
  assert.equal(message, `Acme asks you to approve: “Pay €120” (from Chrome on Linux). Approve only if Acme shows the code ${code}.`);
  const long = approvalWebTx({ site: 's'.repeat(5000), browser: 'Chrome on Linux', code, message: '€'.repeat(512) }).message!;
  assert.ok([...long].length <= WEBTX_MESSAGE_MAX, `${[...long].length} characters`);
});
