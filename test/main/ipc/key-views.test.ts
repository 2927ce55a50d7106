import { describe, expect, it } from 'vitest';
import {
  createNodeHidDiscovery,
  type HidAsyncHandle,
  type HidModule,
} from '../../../src-main/hardware-key/transport/node-hid-transport';
import { createEventHub } from '../../../src-main/ipc/event-hub';
import { keyStatusView } from '../../../src-main/ipc/key-views';
import { createCoreServices } from '../../../src-main/services';
import { useTempDir } from '../../support/temp-dir';

/** node-hid as it would answer with only another maker's FIDO key plugged in. */
const onlyANitrokey: HidModule = {
  async devicesAsync() {
    return [
      { vendorId: 0x20a0, productId: 0x42b2, path: '/dev/hidraw4', usagePage: 0xf1d0, usage: 1, product: 'Nitrokey 3' },
    ];
  },
  HIDAsync: {
    async open(): Promise<HidAsyncHandle> {
      throw new Error('another maker’s key must never be opened');
    },
  },
};

describe('the key panel of a real (not drill) app', () => {
  const tempDir = useTempDir();

  it("says the plugged-in key is not a YubiKey, naming it, rather than 'no key'", async () => {
    const core = createCoreServices({
      dataDir: tempDir(),
      drillOnly: false,
      events: createEventHub(),
      realDiscovery: () => createNodeHidDiscovery({ loadHid: async () => onlyANitrokey }),
    });
    try {
      const result = await keyStatusView(core, false);
      if (!result.ok) throw new Error(result.error.message);
      const view = result.value;
      expect(view).toMatchObject({
        drill: false,
        present: false,
        description: 'No YubiKey plugged in (another maker’s key is)',
        error_code: 'not-a-yubikey',
      });
      expect(view.error).toContain('Nitrokey 3, USB vendor 0x20a0');
    } finally {
      await core.close();
    }
  });
});
