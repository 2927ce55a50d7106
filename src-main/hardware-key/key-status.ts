import { getPinRetries } from './ctap/client-pin';
import { getInfo, type AuthenticatorInfo } from './ctap/ctap2';
import { CtapHidClient } from './transport/ctaphid-client';
import type { KeyClock } from './key-clock';
import type { KeyErrorCode } from '../webauthn/key-error';
import type { DeviceKind, FidoDeviceInfo, KeyDiscovery } from './transport/transport';

export interface KeyStatus {
  present: boolean;
  kind?: DeviceKind;
  path?: string;
  product?: string;
  manufacturer?: string;
  /** 32 hex chars, from getInfo (CTAP2 keys only). */
  aaguid?: string;
  /** major.minor.build from CTAPHID_INIT: the firmware on YubiKey 4/5. */
  firmware?: string;
  protocol?: 'ctap2' | 'u2f';
  versions?: string[];
  /** How the key can verify its user, from getInfo: its PIN (set or not), a fingerprint, alwaysUv. */
  userVerification?: { pin: 'set' | 'not-set' | 'unsupported'; fingerprint: boolean; alwaysUv: boolean };
  /** Why the key cannot be used (no HID access, did not answer ...). */
  error?: string;
  errorCode?: KeyErrorCode;
}

/**
 * Which physical key a listed device is, as far as enumeration can tell without opening it: the
 * HID path alone is reused when one key is swapped for another on the same /dev/hidrawN, so the
 * USB identity (vendor, product, serial when the key exposes it, release, names) is part of it.
 */
export function deviceIdentity(device: FidoDeviceInfo): string {
  return [
    device.path,
    device.vendorId,
    device.productId,
    device.serialNumber ?? '',
    device.release ?? '',
    device.product ?? '',
    device.manufacturer ?? '',
  ].join('\u0000');
}

/** Why no key is usable when only another maker's FIDO key is plugged in. */
export function foreignKeyStatus(all: readonly FidoDeviceInfo[]): KeyStatus | null {
  const foreign = all.find((d) => d.foreign);
  if (!foreign) return null;
  const name = foreign.product ?? foreign.manufacturer ?? 'a FIDO security key';
  return {
    present: false,
    errorCode: 'not-a-yubikey',
    error: `The key plugged in (${name}, USB vendor 0x${foreign.vendorId.toString(16).padStart(4, '0')}) is not a YubiKey. Breakglass signs steps with your enrolled YubiKey: plug that in.`,
  };
}

function userVerificationOf(info: AuthenticatorInfo): KeyStatus['userVerification'] {
  const pin = info.options.clientPin;
  return {
    pin: pin === true ? 'set' : pin === false ? 'not-set' : 'unsupported',
    fingerprint: info.options.uv === true,
    alwaysUv: info.options.alwaysUv === true,
  };
}

/**
 * A setting that will stop every tap, read from getInfo (and the PIN retry count) without a touch,
 * so the key panel says it before anyone tries: UV demanded (by the key or `requireUv`) with no way
 * to give it, or a blocked PIN.
 */
async function blockingSetting(
  client: CtapHidClient,
  info: AuthenticatorInfo,
  requireUv: boolean,
): Promise<string | null> {
  const demand = info.options.alwaysUv
    ? 'always requires user verification (alwaysUv)'
    : requireUv
      ? 'must verify its user (keys.require_user_verification)'
      : null;
  if (!demand) return null;
  if (info.options.uv === true) return null;
  if (info.options.clientPin === false)
    return `This key ${demand} but has no FIDO PIN set: set one with Yubico Authenticator or \`ykman fido access change-pin\`.`;
  if (info.options.clientPin !== true)
    return `This key ${demand} but can verify no one (no FIDO PIN support, no fingerprint).`;
  if ((await getPinRetries(client)) === 0)
    return `This key ${demand} but its PIN is blocked (no tries left): use the backup key.`;
  return null;
}

/** INIT and getInfo (no touch): firmware, protocol, AAGUID and how it verifies its user. */
export async function identify(
  discover: KeyDiscovery,
  device: FidoDeviceInfo,
  clock: KeyClock,
  requireUv = false,
): Promise<KeyStatus> {
  const base: KeyStatus = {
    present: true,
    kind: device.kind,
    path: device.path,
    product: device.product,
    manufacturer: device.manufacturer,
  };
  const transport = await discover.open(device);
  const client = await CtapHidClient.open(transport, { clock });
  try {
    const status: KeyStatus = {
      ...base,
      firmware: client.info.deviceVersion.join('.'),
      protocol: client.supportsCbor ? 'ctap2' : 'u2f',
    };
    if (client.supportsCbor) {
      const info = await getInfo(client);
      status.aaguid = info.aaguid;
      status.versions = info.versions;
      status.userVerification = userVerificationOf(info);
      const blocked = await blockingSetting(client, info, requireUv);
      if (blocked) Object.assign(status, { error: blocked, errorCode: 'key-unusable' as const });
    } else if (requireUv) {
      Object.assign(status, {
        error: 'This key speaks only U2F, which cannot verify its user (keys.require_user_verification).',
        errorCode: 'key-unusable' as const,
      });
    }
    return status;
  } finally {
    await client.close();
  }
}
