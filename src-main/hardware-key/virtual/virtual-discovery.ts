import type { FidoDeviceInfo, FidoHidTransport, KeyDiscovery } from '../transport/transport';
import type { VirtualAuthenticator } from './virtual-authenticator';

/** Discovery over in-process virtual keys: only plugged-in ones are listed, as with real HID. */
export function virtualDiscovery(...devices: VirtualAuthenticator[]): KeyDiscovery {
  return {
    async list(): Promise<FidoDeviceInfo[]> {
      return devices.filter((d) => d.plugged).map((d) => ({ ...d.info }));
    },
    async open(device: FidoDeviceInfo): Promise<FidoHidTransport> {
      const match = devices.find((d) => d.info.path === device.path);
      if (!match) throw new Error(`cannot open device with path ${device.path}`);
      return match.transport();
    },
  };
}
