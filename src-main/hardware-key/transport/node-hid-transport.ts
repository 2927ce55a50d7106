import { FIDO_USAGE, FIDO_USAGE_PAGE, YUBICO_VENDOR_ID } from './ctaphid-constants';
import { KeyError } from '../../webauthn/key-error';
import type { FidoDeviceInfo, FidoHidTransport, KeyDiscovery } from './transport';

/** The parts of node-hid we use (NHID nodehid.d.ts). */
export interface HidDevice {
  vendorId: number;
  productId: number;
  path?: string;
  serialNumber?: string;
  release?: number;
  manufacturer?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
}

export interface HidAsyncHandle {
  write(values: number[] | Buffer): Promise<number>;
  read(timeoutMs?: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

export interface HidModule {
  devicesAsync(): Promise<HidDevice[]>;
  HIDAsync: { open(path: string, options?: { nonExclusive?: boolean }): Promise<HidAsyncHandle> };
}

/**
 * node-hid is a native module that needs the OS HID stack; it is loaded only when a real key is
 * wanted, so the CLI, drills and tests run on machines without one.
 */
export async function loadNodeHid(): Promise<HidModule> {
  // The app bundle is CommonJS: a plain require finds the native module inside the packaged app.
  // Under an ES-module runner (vitest) there is no require, and import() does the same job.
  const mod = (typeof require === 'function'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('node-hid')
    : await import('node-hid')) as unknown as HidModule & { default?: HidModule };
  return mod.default && typeof mod.default.devicesAsync === 'function' ? mod.default : mod;
}

/** What to do about missing access, per OS (see docs/yubikey-access.md). */
export function accessHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'win32':
      return 'Windows 10 (1903) and later let only Administrators open FIDO security keys directly. Start Breakglass with "Run as administrator", or use drill mode with the virtual key.';
    case 'linux':
      return "Linux needs a udev rule that gives your user access to the key's hidraw device (see docs/yubikey-access.md), then unplug and replug the key.";
    case 'darwin':
      return 'On macOS, close other apps that hold the key (browsers, password managers) and retry.';
    default:
      return 'Check that this user may open HID devices.';
  }
}

export interface NodeHidDiscoveryOptions {
  loadHid?: () => Promise<HidModule>;
  platform?: NodeJS.Platform;
}

/** Real keys over node-hid: every HID interface with the FIDO usage page 0xF1D0 (no PID list). */
export function createNodeHidDiscovery(options: NodeHidDiscoveryOptions = {}): KeyDiscovery {
  const load = options.loadHid ?? loadNodeHid;
  const platform = options.platform ?? process.platform;
  let module: Promise<HidModule> | null = null;

  async function hid(): Promise<HidModule> {
    module ??= load().catch((error: unknown) => {
      module = null;
      throw new KeyError(
        'no-hid-access',
        `No HID access: node-hid could not be loaded (${(error as Error)?.message ?? String(error)}). ${accessHint(platform)}`,
        { cause: error },
      );
    });
    return module;
  }

  return {
    async list(): Promise<FidoDeviceInfo[]> {
      const lib = await hid();
      let devices: HidDevice[];
      try {
        devices = await lib.devicesAsync();
      } catch (error) {
        throw new KeyError(
          'no-hid-access',
          `No HID access: cannot enumerate devices (${(error as Error).message}). ${accessHint(platform)}`,
          { cause: error },
        );
      }
      return (
        devices
          // FIDO interfaces, matched by usage page rather than a product-ID list, so every YubiKey
          // model is found whatever its PID (its OTP/CCID interfaces are not FIDO). Another maker's
          // key is listed as foreign: named to the operator, never used.
          .filter(
            (d) =>
              d.usagePage === FIDO_USAGE_PAGE && d.usage === FIDO_USAGE && typeof d.path === 'string' && d.path !== '',
          )
          .map((d) => ({
            path: d.path!,
            kind: 'hardware' as const,
            vendorId: d.vendorId,
            productId: d.productId,
            product: d.product,
            manufacturer: d.manufacturer,
            serialNumber: d.serialNumber,
            ...(typeof d.release === 'number' ? { release: d.release } : {}),
            ...(d.vendorId === YUBICO_VENDOR_ID ? {} : { foreign: true }),
          }))
      );
    },
    async open(device: FidoDeviceInfo): Promise<FidoHidTransport> {
      const lib = await hid();
      let handle: HidAsyncHandle;
      try {
        // macOS opens HID devices exclusively unless asked not to (NHID README).
        handle = await lib.HIDAsync.open(device.path, { nonExclusive: true });
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        throw new KeyError(
          'no-hid-access',
          `No HID access: cannot open the key at ${device.path} (${message}). ${accessHint(platform)}`,
          { cause: error },
        );
      }
      return nodeHidTransport(handle);
    },
  };
}

/** Adapts a node-hid handle to 64-byte reports: writes carry the report-ID byte 0x00 first. */
export function nodeHidTransport(handle: HidAsyncHandle): FidoHidTransport {
  return {
    async write(report64: Buffer): Promise<void> {
      if (report64.length !== 64) throw new RangeError(`a FIDO report is 64 bytes, got ${report64.length}`);
      const written = await handle.write(Buffer.concat([Buffer.from([0x00]), report64]));
      if (written < 64) throw new Error(`Cannot write to hid device (${written} bytes written)`);
    },
    async read(timeoutMs: number): Promise<Buffer | null> {
      const data = await handle.read(timeoutMs);
      return data && data.length > 0 ? Buffer.from(data) : null;
    },
    async close(): Promise<void> {
      await handle.close();
    },
  };
}
