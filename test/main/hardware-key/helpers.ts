import { createKeyService, type KeyEvent, type KeyServiceOptions } from '../../../src-main/hardware-key/key-service';
import {
  createVirtualAuthenticator,
  type VirtualAuthenticatorOptions,
} from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../../src-main/hardware-key/virtual/virtual-discovery';

export const RP_ID = 'breakglass.local';

/** A virtual key behind a key service, as the ceremony and drills use them. */
export function virtualSetup(
  keyOptions: VirtualAuthenticatorOptions = {},
  serviceOptions: Partial<KeyServiceOptions> = {},
) {
  const key = createVirtualAuthenticator({ touchDelayMs: 0, ...keyOptions });
  const events: KeyEvent[] = [];
  const service = createKeyService({
    discover: virtualDiscovery(key),
    rpId: RP_ID,
    onEvent: (e) => events.push(e),
    ...serviceOptions,
  });
  return { key, service, events };
}

export function challenge(n: number): Buffer {
  const out = Buffer.alloc(32, 0);
  out.writeUInt32BE(n, 28);
  out[0] = 0xbb;
  return out;
}
