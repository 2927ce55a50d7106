import { describe, expect, it } from 'vitest';
import { KeyError } from '../../../src-main/webauthn/key-error';
import { createKeyService } from '../../../src-main/hardware-key/key-service';
import {
  accessHint,
  createNodeHidDiscovery,
  loadNodeHid,
  type HidAsyncHandle,
  type HidModule,
} from '../../../src-main/hardware-key/transport/node-hid-transport';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { challenge } from './helpers';

/** A node-hid stand-in whose one FIDO device is a virtual key, so the adapter's byte handling is exercised. */
function fakeHid(options: { openError?: Error } = {}) {
  const device = createVirtualAuthenticator({ touchDelayMs: 0 });
  const writes: Buffer[] = [];
  const module: HidModule = {
    async devicesAsync() {
      return [
        {
          vendorId: 0x1050,
          productId: 0x0407,
          path: '/dev/hidraw3',
          usagePage: 0xf1d0,
          usage: 1,
          product: 'YubiKey OTP+FIDO+CCID',
        },
        {
          vendorId: 0x1050,
          productId: 0x0407,
          path: '/dev/hidraw2',
          usagePage: 0x01,
          usage: 6,
          product: 'YubiKey OTP+FIDO+CCID',
        },
        { vendorId: 0x046d, productId: 0xc52b, path: '/dev/hidraw0', usagePage: 0x01, usage: 2, product: 'Mouse' },
        { vendorId: 0x20a0, productId: 0x42b1, usagePage: 0xf1d0, usage: 1, product: 'no path' },
        {
          vendorId: 0x20a0,
          productId: 0x42b1,
          path: '/dev/hidraw5',
          usagePage: 0xf1d0,
          usage: 1,
          product: "another vendor's FIDO key",
        },
        {
          vendorId: 0x1050,
          productId: 0x0120,
          path: '/dev/hidraw7',
          usagePage: 0xf1d0,
          usage: 1,
          product: 'Security Key by Yubico (a PID no list of ours names)',
        },
      ];
    },
    HIDAsync: {
      async open(): Promise<HidAsyncHandle> {
        if (options.openError) throw options.openError;
        const transport = device.transport();
        return {
          async write(values) {
            const buffer = Buffer.from(values as Buffer);
            writes.push(buffer);
            await transport.write(buffer.subarray(1));
            return buffer.length;
          },
          async read(timeout) {
            return (await transport.read(timeout ?? 0)) ?? undefined;
          },
          close: () => transport.close(),
        };
      },
    },
  };
  return { module, writes, device };
}

describe('node-hid transport and discovery', () => {
  it("lists FIDO interfaces only (usage page 0xF1D0), whatever the PID; another maker's is marked foreign", async () => {
    const { module } = fakeHid();
    const devices = await createNodeHidDiscovery({ loadHid: async () => module }).list();
    expect(devices).toEqual([
      expect.objectContaining({ path: '/dev/hidraw3', kind: 'hardware', vendorId: 0x1050 }),
      expect.objectContaining({ path: '/dev/hidraw5', kind: 'hardware', vendorId: 0x20a0, foreign: true }),
      expect.objectContaining({ path: '/dev/hidraw7', kind: 'hardware', vendorId: 0x1050, productId: 0x0120 }),
    ]);
    expect(devices.filter((d) => !d.foreign).map((d) => d.vendorId)).toEqual([0x1050, 0x1050]);
  });

  it("never opens another maker's FIDO key, and says why when it is the only one plugged in", async () => {
    const opened: string[] = [];
    const foreignOnly: HidModule = {
      async devicesAsync() {
        return [
          {
            vendorId: 0x20a0,
            productId: 0x42b1,
            path: '/dev/hidraw5',
            usagePage: 0xf1d0,
            usage: 1,
            product: 'Nitrokey 3',
          },
        ];
      },
      HIDAsync: {
        async open(path: string): Promise<HidAsyncHandle> {
          opened.push(path);
          throw new Error('must not be opened');
        },
      },
    };
    const service = createKeyService({
      discover: createNodeHidDiscovery({ loadHid: async () => foreignOnly }),
      rpId: 'breakglass.local',
    });
    try {
      const status = await service.status();
      expect(status).toMatchObject({ present: false, errorCode: 'not-a-yubikey' });
      expect(status.error).toBe(
        'The key plugged in (Nitrokey 3, USB vendor 0x20a0) is not a YubiKey. Breakglass signs steps with your enrolled YubiKey: plug that in.',
      );
      const enrolling = service.enrol({ operator: 'taha@example.com', label: 'primary' });
      await expect(enrolling).rejects.toMatchObject({ code: 'not-a-yubikey' });
      expect(opened).toEqual([]);
    } finally {
      service.close();
    }
  });

  it('writes 65 bytes with the report-ID byte 0x00 first and works end to end', async () => {
    const { module, writes } = fakeHid();
    const service = createKeyService({
      discover: createNodeHidDiscovery({ loadHid: async () => module }),
      rpId: 'breakglass.local',
    });
    const key = await service.enrol({ operator: 'taha@example.com', label: 'primary' });
    const tap = await service.tap({ clientDataHash: challenge(1), allow: [key] });
    service.close();
    expect(tap.credential_id).toBe(key.credential_id);
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      expect(w.length).toBe(65);
      expect(w[0]).toBe(0);
    }
    expect((await service.status()).kind).toBe('hardware');
  });

  it('reports "no HID access" clearly when node-hid cannot load, and status() says so', async () => {
    const discovery = createNodeHidDiscovery({
      loadHid: async () => {
        throw new Error('libudev.so.1: cannot open shared object file');
      },
      platform: 'linux',
    });
    const error = await discovery.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).code).toBe('no-hid-access');
    expect((error as KeyError).message).toMatch(/No HID access.*libudev.*udev rule/);
    const service = createKeyService({ discover: discovery, rpId: 'breakglass.local' });
    expect(await service.status()).toMatchObject({ present: false, errorCode: 'no-hid-access' });
    await expect(
      service.tap({
        clientDataHash: challenge(1),
        allow: [{ credential_id: 'AA', rp_id: 'breakglass.local' } as never],
      }),
    ).rejects.toMatchObject({ code: 'no-hid-access' });
    service.close();
  });

  it('an open refused by the OS (Windows without admin) is no-hid-access with the admin hint', async () => {
    const { module } = fakeHid({ openError: new Error('cannot open device with path \\\\?\\hid#vid_1050&pid_0407') });
    const discovery = createNodeHidDiscovery({ loadHid: async () => module, platform: 'win32' });
    const [device] = await discovery.list();
    const error = (await discovery.open(device!).catch((e: unknown) => e)) as KeyError;
    expect(error.code).toBe('no-hid-access');
    expect(error.message).toMatch(/Administrator/);
    expect(accessHint('darwin')).toMatch(/macOS/);
  });

  it('the real node-hid either loads and enumerates, or fails as no-hid-access (never anything else)', async () => {
    const discovery = createNodeHidDiscovery();
    const outcome = await discovery.list().then(
      (devices) => ({ ok: true as const, devices }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (outcome.ok) {
      expect(Array.isArray(outcome.devices)).toBe(true);
      await expect(loadNodeHid()).resolves.toHaveProperty('devicesAsync');
    } else {
      expect(outcome.error).toBeInstanceOf(KeyError);
      expect((outcome.error as KeyError).code).toBe('no-hid-access');
    }
  });
});
