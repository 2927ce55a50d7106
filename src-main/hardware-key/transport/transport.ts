/**
 * The seam between protocol and hardware: 64-byte HID reports of the FIDO interface (brief §9.1).
 * The node-hid transport and the virtual authenticator both implement it, and the CTAPHID client
 * cannot tell them apart.
 */
export interface FidoHidTransport {
  /**
   * Sends one 64-byte output report (without a report-ID byte). Throws when the device is gone.
   * The caller may reuse the buffer once the returned promise settles: keep a copy, not the buffer.
   */
  write(report64: Buffer): Promise<void>;
  /** Resolves to the next 64-byte input report, or null after `timeoutMs`. Throws when the device is gone. */
  read(timeoutMs: number): Promise<Buffer | null>;
  close(): Promise<void>;
}

export type DeviceKind = 'hardware' | 'virtual';

export interface FidoDeviceInfo {
  path: string;
  kind: DeviceKind;
  vendorId: number;
  productId: number;
  product?: string;
  manufacturer?: string;
  serialNumber?: string;
  /** USB bcdDevice (node-hid `release`): part of the device's identity. */
  release?: number;
  /**
   * A FIDO key from another maker than Yubico: found, so the operator can be told why it is not
   * used, and never opened (the runbook's hardware MFA is a YubiKey).
   */
  foreign?: boolean;
}

/** Finds FIDO devices and opens transports to them. */
export interface KeyDiscovery {
  list(): Promise<FidoDeviceInfo[]>;
  open(device: FidoDeviceInfo): Promise<FidoHidTransport>;
}
