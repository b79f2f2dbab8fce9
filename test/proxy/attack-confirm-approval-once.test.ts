/**
 * Attack: act twice on one approval. `confirmApproval` promises one action per approval (a
 * payment, an email change), across every instance sharing the store. Its once-only marker
 * lived exactly as long as the TX's binding, computed on the confirming instance's clock, so on an
 * instance whose clock ran ahead of the others (or of Redis) the marker expired before the binding
 * did: in between, another instance confirmed the same approval again, and the site acted twice.
 *
 * Now the marker outlives the binding by a margin (`BINDING_MARGIN_MS`), so no confirmation can
 * follow it while the binding that allows one is still there. Also held here, at once: 20
 * concurrent confirmations of one approval over three instances give exactly one `true`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { MemoryStore } from '../../src/proxy/index.js';
import { BINDING_MARGIN_MS } from '../../src/proxy/tx-bindings.js';
import type { ApprovalStart } from '../../src/wire.js';
import { approveOnDevice } from '../support/approve-on-device.js';
import { apiClient, call, createUserWithPasskey, manualClock, proxyFactory, readJson, startTestEmulator } from '../support/proxy-fixture.js';

let emu: RunningEmulator;
before(async () => {
  emu = await startTestEmulator();
});
after(async () => {
  await emu.close();
});

const MESSAGE = 'Pay €120 to Acme';

async function approvedStepUp(handler: Parameters<typeof call>[0], userId: string): Promise<ApprovalStart> {
  const response = await call(handler, '/approve', { body: { message: MESSAGE }, session: userId });
  const start = await readJson<ApprovalStart>(response);
  assert.equal(response.status, 201, JSON.stringify(start));
  return start;
}

test('an instance whose clock runs 10 s ahead: its confirmation is still the only one until the binding is gone', async () => {
  const clock = manualClock(); // the store's (Redis's) clock, and the first instance's
  const store = new MemoryStore(clock.now);
  const proxy = proxyFactory();
  const onTime = proxy({ sendauth: apiClient(emu), store, now: clock.now, rateLimit: false });
  const ahead = proxy({ sendauth: apiClient(emu), store, now: () => clock.now() + 10_000, rateLimit: false });
  const user = await createUserWithPasskey(apiClient(emu));
  const start = await approvedStepUp(onTime.handler, user.id);
  await approveOnDevice(emu, start.tx, user.authenticator);
  const approval = { tx: start.tx, userId: user.id, message: MESSAGE };

  assert.equal(await ahead.handler.confirmApproval(approval), true, 'the first confirmation');
  // Shortly before the binding (the TX's expiry plus its margin) is forgotten.
  const bindingGone = Date.parse(start.expiresAt) + BINDING_MARGIN_MS;
  clock.advance(bindingGone - 5_000 - clock.now());
  assert.equal(await onTime.handler.confirmApproval(approval), false, 'a second action on the same approval');
  assert.equal(await ahead.handler.confirmApproval(approval), false);
  clock.advance(10_000);
  assert.equal(await onTime.handler.confirmApproval(approval), false, 'and after the binding is gone');
});

test('20 concurrent confirmations of one approval over three instances: exactly one true', async () => {
  const store = new MemoryStore();
  const proxy = proxyFactory();
  const instances = [0, 1, 2].map(() => proxy({ sendauth: apiClient(emu), store, rateLimit: false }));
  const user = await createUserWithPasskey(apiClient(emu));
  const start = await approvedStepUp(instances[0]!.handler, user.id);
  await approveOnDevice(emu, start.tx, user.authenticator);
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => instances[i % 3]!.handler.confirmApproval({ tx: start.tx, userId: user.id, message: MESSAGE })),
  );
  assert.equal(answers.filter(Boolean).length, 1, JSON.stringify(answers));
});
