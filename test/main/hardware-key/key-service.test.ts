import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type KeyClock } from '../../../src-main/hardware-key/key-clock';
import { KeyError } from '../../../src-main/webauthn/key-error';
import type { KeyService } from '../../../src-main/hardware-key/key-service';
import { createKeyService, TOUCH_TIMEOUT_MS } from '../../../src-main/hardware-key/key-service';
import { verifyAssertion } from '../../../src-main/webauthn/verify-assertion';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';
import { VIRTUAL_AAGUID_HEX } from '../../../src-main/webauthn/virtual-marks';
import { challenge, RP_ID, virtualSetup } from './helpers';

const services: KeyService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
});
function setup(...args: Parameters<typeof virtualSetup>) {
  const s = virtualSetup(...args);
  services.push(s.service);
  return s;
}

async function rejection(promise: Promise<unknown>): Promise<KeyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KeyError);
    return error as KeyError;
  }
  throw new Error('expected a KeyError');
}

describe('key service over the 64-byte report seam (virtual key)', () => {
  it('enrols a non-discoverable ES256 credential and taps with it; the assertion verifies offline', async () => {
    const { service } = setup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(key).toMatchObject({
      operator: 'taha@example.com',
      label: 'primary',
      rp_id: RP_ID,
      fmt: 'packed',
      aaguid: VIRTUAL_AAGUID_HEX,
    });
    expect(key.att_stmt?.x5c).toHaveLength(1);
    expect(key.enrolment_client_data_hash).toMatch(/^[0-9a-f]{64}$/);
    const cdh = challenge(1);
    const tap = await service.tap({ clientDataHash: cdh, allow: [key] });
    expect(tap.credential_id).toBe(key.credential_id);
    expect(tap.sign_count).toBeGreaterThan(0);
    expect(verifyAssertion(key, { ...tap, client_data_hash: cdh.toString('hex') })).toEqual({
      ok: true,
      signCount: tap.sign_count,
      userPresent: true,
      userVerified: false,
    });
    // The same signature must not verify for another challenge.
    expect(verifyAssertion(key, { ...tap, client_data_hash: challenge(2).toString('hex') }).ok).toBe(false);
  });

  it('counters increase across taps and the right credential of several is used', async () => {
    const { service } = setup();
    const primary = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const backup = await service.enrol({ operator: 'taha@example.com', label: 'backup' });
    const first = await service.tap({ clientDataHash: challenge(1), allow: [backup, primary] });
    const second = await service.tap({ clientDataHash: challenge(2), allow: [primary] });
    expect(second.sign_count).toBeGreaterThan(first.sign_count);
    expect(second.credential_id).toBe(primary.credential_id);
  });

  it('asks for a touch (keepalive UPNEEDED → touch-needed) and says when it is done', async () => {
    const { service, events } = setup({ touchDelayMs: 250, keepaliveIntervalMs: 50 });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(events).toEqual([
      expect.objectContaining({ type: 'touch-needed', operation: 'enrol' }),
      { type: 'touch-done', operation: 'enrol', ok: true },
    ]);
    events.length = 0;
    await service.tap({ clientDataHash: challenge(1), allow: [key] });
    expect(events).toEqual([
      expect.objectContaining({ type: 'touch-needed', operation: 'tap' }),
      { type: 'touch-done', operation: 'tap', ok: true },
    ]);
  });

  it('cancel() sends CTAPHID_CANCEL and the key answers KEEPALIVE_CANCEL (0x2D); the next tap works', async () => {
    const { service, key: device, events } = setup({ touchDelayMs: null });
    device.touch(); // not waiting yet: harmless
    const enrolling = service.enrol({ operator: 'taha@example.com', label: 'primary' });
    await until(() => events.length > 0);
    device.touch();
    const key = await enrolling;
    events.length = 0;
    const tapping = service.tap({ clientDataHash: challenge(1), allow: [key] });
    await until(() => events.some((e) => e.type === 'touch-needed'));
    service.cancel();
    const error = await rejection(tapping);
    expect(error.code).toBe('cancelled');
    expect(events.at(-1)).toEqual({ type: 'touch-done', operation: 'tap', ok: false });
    const again = service.tap({ clientDataHash: challenge(2), allow: [key] });
    await until(() => events.filter((e) => e.type === 'touch-needed').length === 2);
    device.touch();
    expect((await again).credential_id).toBe(key.credential_id);
  });

  it("touch-needed carries the deadline main's transport cancels at: TOUCH_TIMEOUT_MS, or the service's option", async () => {
    // Main's clock stands still (timers still run), so the time left is exactly the deadline's length.
    const frozen: KeyClock = {
      now: () => 1_750_000_000_000,
      setTimeout: systemClock.setTimeout,
      clearTimeout: systemClock.clearTimeout,
    };
    const byDefault = setup({ touchDelayMs: 150, keepaliveIntervalMs: 50 }, { clock: frozen });
    await byDefault.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect(byDefault.events[0]).toEqual({
      type: 'touch-needed',
      operation: 'enrol',
      deadline: 1_750_000_000_000 + TOUCH_TIMEOUT_MS,
      timeoutMs: TOUCH_TIMEOUT_MS,
    });
    const longer = setup({ touchDelayMs: 150, keepaliveIntervalMs: 50 }, { clock: frozen, touchTimeoutMs: 90_000 });
    const key = await longer.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    longer.events.length = 0;
    await longer.service.tap({ clientDataHash: challenge(1), allow: [key] });
    expect(longer.events[0]).toEqual({
      type: 'touch-needed',
      operation: 'tap',
      deadline: 1_750_000_000_000 + 90_000,
      timeoutMs: 90_000,
    });
  });

  it('an AbortSignal cancels the same way', async () => {
    const slow = setup({ touchDelayMs: null });
    const key = await enrolWithTouch(slow);
    const controller = new AbortController();
    const tapping = slow.service.tap({ clientDataHash: challenge(3), allow: [key], signal: controller.signal });
    await until(() => slow.events.some((e) => e.type === 'touch-needed' && e.operation === 'tap'));
    controller.abort();
    expect((await rejection(tapping)).code).toBe('cancelled');
  });

  it('no touch: the key times out with 0x27 and the step is not signed', async () => {
    const { service, key: device, events } = setup({ touchTimeoutMs: 150 });
    const key = await service.enrol({ operator: 'asad@example.com', label: 'primary' });
    device.setFault({ noTouch: true });
    const error = await rejection(service.tap({ clientDataHash: challenge(1), allow: [key] }));
    expect(error.code).toBe('not-touched');
    expect(error.detail?.ctapStatus).toBe(0x27);
    expect(events.at(-1)).toEqual({ type: 'touch-done', operation: 'tap', ok: false });
  });

  it('no touch: the host deadline sends CANCEL and reports not-touched', async () => {
    const device = createVirtualAuthenticator({ touchDelayMs: 0 });
    const service = createKeyService({ discover: virtualDiscovery(device), rpId: RP_ID, touchTimeoutMs: 200 });
    services.push(service);
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.setFault({ noTouch: true });
    const error = await rejection(service.tap({ clientDataHash: challenge(1), allow: [key] }));
    expect(error.code).toBe('not-touched');
  });

  it.each([0x2f, 0x3a])('treats timeout status 0x%s as not touched', async (status) => {
    const { service, key: device } = setup({ touchTimeoutMs: 100 });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.setFault({ noTouch: true, timeoutStatus: status });
    expect((await rejection(service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe('not-touched');
  });

  it('wrong key: a key that holds none of the enrolled credentials gets 0x2E → wrong-key', async () => {
    const enrolled = setup();
    const key = await enrolled.service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const other = setup();
    const error = await rejection(other.service.tap({ clientDataHash: challenge(1), allow: [key] }));
    expect(error.code).toBe('wrong-key');
    expect(error.message).toMatch(/not an enrolled key/);
    enrolled.key.setFault({ wrongKey: true });
    expect((await rejection(enrolled.service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe(
      'wrong-key',
    );
  });

  it('with two keys plugged in, the one holding the credential signs', async () => {
    const a = createVirtualAuthenticator({ touchDelayMs: 0 });
    const b = createVirtualAuthenticator({ touchDelayMs: 0 });
    const onlyB = createKeyService({ discover: virtualDiscovery(b), rpId: RP_ID });
    const both = createKeyService({ discover: virtualDiscovery(a, b), rpId: RP_ID });
    services.push(onlyB, both);
    const key = await onlyB.enrol({ operator: 'taha@example.com', label: 'backup' });
    const tap = await both.tap({ clientDataHash: challenge(9), allow: [key] });
    expect(verifyAssertion(key, { ...tap, client_data_hash: challenge(9).toString('hex') }).ok).toBe(true);
  });

  it('unplug mid-transaction: the transport throws, the tap fails as unplugged, replug works', async () => {
    const { service, key: device } = setup({ touchDelayMs: 100 });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.setFault({ unplugMidTransaction: true });
    const error = await rejection(service.tap({ clientDataHash: challenge(1), allow: [key] }));
    expect(error.code).toBe('unplugged');
    expect(error.message).toMatch(/could not read data from device/);
    expect(device.plugged).toBe(false);
    expect((await rejection(service.tap({ clientDataHash: challenge(2), allow: [key] }))).code).toBe('no-key');
    device.plugIn();
    expect((await service.tap({ clientDataHash: challenge(3), allow: [key] })).credential_id).toBe(key.credential_id);
  });

  it('a tap that finds the key gone tells onChange at once, not at the next poll', async () => {
    // Polls an hour apart: only the failed transport read can explain a second report.
    const { service, key: device } = setup({ touchDelayMs: 100 }, { pollIntervalMs: 3_600_000 });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const seen: boolean[] = [];
    const stop = service.onChange((s) => seen.push(s.present));
    await until(() => seen.length === 1);
    device.setFault({ unplugMidTransaction: true });
    expect((await rejection(service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe('unplugged');
    await until(() => seen.length === 2);
    stop();
    expect(seen).toEqual([true, false]);
  });

  it('busy channel: ERR_CHANNEL_BUSY is retried at 100 ms, then gives up with busy', async () => {
    const { service, key: device } = setup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.setFault({ busy: 2 });
    expect((await service.tap({ clientDataHash: challenge(1), allow: [key] })).credential_id).toBe(key.credential_id);
    const impatient = createKeyService({ discover: virtualDiscovery(device), rpId: RP_ID, touchTimeoutMs: 250 });
    services.push(impatient);
    device.setFault({ busy: 1000 });
    expect((await rejection(impatient.tap({ clientDataHash: challenge(2), allow: [key] }))).code).toBe('busy');
  });

  it('only one operation at a time', async () => {
    const { service } = setup({ touchDelayMs: 100 });
    const first = service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const error = await rejection(service.enrol({ operator: 'taha@example.com', label: 'backup' }));
    expect(error.code).toBe('busy');
    await first;
  });

  it('a PIN-insisting key is reported as pin-required', async () => {
    const { service } = setup({ faults: { pinRequired: true } });
    const error = await rejection(service.enrol({ operator: 'taha@example.com', label: 'primary' }));
    expect(error.code).toBe('pin-required');
    expect(error.message).toMatch(/PIN/);
  });

  it('enrolling the same key twice is refused (excludeList → 0x19)', async () => {
    const { service } = setup();
    const primary = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const error = await rejection(
      service.enrol({ operator: 'taha@example.com', label: 'backup', excludeCredentialIds: [primary.credential_id] }),
    );
    expect(error.code).toBe('already-enrolled');
  });

  it.each(['non-canonical', 'bad-seq', 'truncated-cbor', 'trailing-bytes'] as const)(
    'a malformed reply (%s) is a protocol error, and the next tap works',
    async (malformed) => {
      const { service, key: device } = setup();
      const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
      device.setFault({ malformed });
      expect((await rejection(service.tap({ clientDataHash: challenge(1), allow: [key] }))).code).toBe('protocol');
      expect((await service.tap({ clientDataHash: challenge(2), allow: [key] })).credential_id).toBe(key.credential_id);
    },
  );

  it('foreign channels, stray continuations and foreign INIT nonces are skipped', async () => {
    const { service } = setup({ faults: { noise: true } });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const tap = await service.tap({ clientDataHash: challenge(1), allow: [key] });
    expect(verifyAssertion(key, { ...tap, client_data_hash: challenge(1).toString('hex') }).ok).toBe(true);
  });

  it('a counter that goes backwards is refused by the service', async () => {
    const { service, key: device } = setup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    await service.tap({ clientDataHash: challenge(1), allow: [key] });
    await service.tap({ clientDataHash: challenge(2), allow: [key] });
    device.setFault({ counterRegression: true });
    const error = await rejection(service.tap({ clientDataHash: challenge(3), allow: [key] }));
    expect(error.code).toBe('counter-regression');
  });

  it('bad input is refused before touching the key', async () => {
    const { service } = setup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    expect((await rejection(service.tap({ clientDataHash: Buffer.alloc(31), allow: [key] }))).code).toBe(
      'invalid-input',
    );
    expect((await rejection(service.tap({ clientDataHash: challenge(1), allow: [] }))).code).toBe('invalid-input');
    expect((await rejection(service.enrol({ operator: ' ', label: 'primary' }))).code).toBe('invalid-input');
    expect((await rejection(service.enrol({ operator: 'x', label: 'spare' as 'primary' }))).code).toBe('invalid-input');
  });

  it('no key plugged in → no-key', async () => {
    const { service, key: device } = setup();
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    device.unplug();
    const error = await rejection(service.tap({ clientDataHash: challenge(1), allow: [key] }));
    expect(error.code).toBe('no-key');
    expect(await service.status()).toEqual({ present: false });
  });

  it('status() identifies the key from INIT and getInfo', async () => {
    const { service } = setup({ deviceVersion: [5, 4, 3] });
    const status = await service.status();
    expect(status).toMatchObject({
      present: true,
      kind: 'virtual',
      firmware: '5.4.3',
      protocol: 'ctap2',
      aaguid: VIRTUAL_AAGUID_HEX,
    });
    expect(status.product).toMatch(/VIRTUAL/);
  });

  it('onChange reports plug and unplug at the first poll after the change, polls being 500 ms apart', async () => {
    // The polls run when the test fires them, each armed delay recorded: "at the first poll after
    // the change" is then a count of polls (one), whatever the machine's speed.
    const delays: number[] = [];
    const armed: Array<() => void> = [];
    const pollTimers = {
      setTimeout: (fn: () => void, ms: number) => {
        delays.push(ms);
        armed.push(fn);
        return fn;
      },
      clearTimeout: (handle: unknown) => {
        const at = armed.indexOf(handle as () => void);
        if (at >= 0) armed.splice(at, 1);
      },
    };
    /** Fires the next poll once it is armed (a poll arms the next one as it ends). */
    const poll = async () => {
      await until(() => armed.length === 1);
      armed.shift()!();
    };
    const { service, key: device } = setup({}, { pollTimers });
    const seen: boolean[] = [];
    const stop = service.onChange((s) => seen.push(s.present));
    await poll();
    await until(() => seen.length === 1);
    device.unplug();
    await poll();
    await until(() => seen.length === 2);
    device.plugIn();
    await poll();
    await until(() => seen.length === 3);
    await poll(); // nothing changed: no report
    await until(() => armed.length === 1);
    stop();
    expect(seen).toEqual([true, false, true]);
    expect(delays).toEqual([0, 500, 500, 500, 500]);
    expect(armed).toEqual([]); // stop() disarmed the next poll
  });
});

async function enrolWithTouch(s: ReturnType<typeof setup>) {
  const enrolling = s.service.enrol({ operator: 'ian@example.com', label: 'primary' });
  await until(() => s.events.some((e) => e.type === 'touch-needed'));
  s.key.touch();
  const key = await enrolling;
  s.events.length = 0;
  return key;
}

// Waits on what the key service reports; the cap only turns a hang into a message, so it is generous.
async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
