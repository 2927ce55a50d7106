import { describe, expect, it } from 'vitest';
import { ctapStatusError } from '../../../src-main/hardware-key/ctap/ctap2';
import { CtapHidClient } from '../../../src-main/hardware-key/transport/ctaphid-client';
import { createKeyService } from '../../../src-main/hardware-key/key-service';
import type { FidoDeviceInfo, KeyDiscovery } from '../../../src-main/hardware-key/transport/transport';
import {
  createVirtualAuthenticator,
  type VirtualAuthenticator,
} from '../../../src-main/hardware-key/virtual/virtual-authenticator';

describe('PIN/UV statuses reach the operator in words', () => {
  const expected: Array<[number, RegExp]> = [
    [0x34, /Three wrong PINs in a row.*unplugged and plugged in again/],
    [0x35, /no FIDO PIN set.*ykman fido access change-pin/],
    [0x36, /requires its FIDO PIN \(or fingerprint\)/],
    [0x37, /PIN policy/],
    [0x3c, /fingerprint reader is blocked/],
    [0x3f, /fingerprint was not recognised/],
    [0x40, /refused the PIN token/],
    [0x15, /exceeds one of the key's limits/],
  ];
  for (const [status, words] of expected) {
    it(`0x${status.toString(16)}`, () => {
      const message = ctapStatusError(status, 'signature').message;
      expect(message).toMatch(words);
      // Never the bare byte the operator used to get ("status (0x3c)").
      expect(message).not.toMatch(/: status \(0x/);
    });
  }
});

describe('a key answering INIT with "channel busy"', () => {
  it('is retried as busy and opens once the other application lets go', async () => {
    const key = createVirtualAuthenticator({ touchDelayMs: 0, faults: { initBusy: 3 } });
    const client = await CtapHidClient.open(key.transport());
    expect(client.supportsCbor).toBe(true);
  });

  it('that stays busy is reported as busy (close the other application), not as dead', async () => {
    const key = createVirtualAuthenticator({ touchDelayMs: 0, faults: { initBusy: 1_000_000 } });
    const error = await CtapHidClient.open(key.transport(), { initTimeoutMs: 50, busyTimeoutMs: 400 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'busy' });
    expect((error as Error).message).toMatch(/busy with another application/);
    expect((error as Error).message).not.toMatch(/unplug/i);
  });
});

describe('key status cache', () => {
  it('follows the physical key when another is swapped in on the same HID path', async () => {
    const keys = [
      createVirtualAuthenticator({
        touchDelayMs: 0,
        path: '/dev/hidraw3',
        serialNumber: '11111111',
        deviceVersion: [5, 4, 3],
      }),
      createVirtualAuthenticator({
        touchDelayMs: 0,
        path: '/dev/hidraw3',
        serialNumber: '22222222',
        deviceVersion: [5, 7, 4],
      }),
    ];
    let plugged: VirtualAuthenticator = keys[0]!;
    const discover: KeyDiscovery = {
      list: async () => [plugged.info],
      open: async (device: FidoDeviceInfo) => keys.find((k) => k.info === device)!.transport(),
    };
    const service = createKeyService({ discover, rpId: 'breakglass.local' });
    expect(await service.status()).toMatchObject({ path: '/dev/hidraw3', firmware: '5.4.3' });
    plugged = keys[1]!;
    expect(await service.status()).toMatchObject({ path: '/dev/hidraw3', firmware: '5.7.4' });
    service.close();
  });
});
