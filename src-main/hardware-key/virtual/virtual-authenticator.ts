import { VIRTUAL_MANUFACTURER, VIRTUAL_PRODUCT } from '../../webauthn/virtual-marks';
import { systemClock, type KeyClock } from '../key-clock';
import { Capability, Ctap2Status } from '../transport/ctaphid-constants';
import type { FidoDeviceInfo, FidoHidTransport } from '../transport/transport';
import { CredentialVault } from './credential-vault';
import { loadOrCreateDrillState, newDrillState, saveDrillState, type DrillState } from './drill-state';
import { VirtualClientPin, type VirtualPinOptions } from './virtual-client-pin';
import type { VirtualCore, VirtualFaults } from './virtual-core';
import { VirtualCtap2 } from './virtual-ctap2';
import { VirtualCtaphid } from './virtual-ctaphid';
import { VirtualU2f } from './virtual-u2f';

export interface VirtualAuthenticatorOptions {
  /** Simulated touch after this delay; null waits for touch(). Default 300 ms. */
  touchDelayMs?: number | null;
  /** The key gives up waiting for a touch after this long. Default 30 s. */
  touchTimeoutMs?: number;
  /** KEEPALIVE interval while waiting; the spec asks for at most 100 ms. Default 80 ms. */
  keepaliveIntervalMs?: number;
  clock?: KeyClock;
  faults?: VirtualFaults;
  /** A key without CTAP2 (CAPABILITY_CBOR unset): only U2F over CTAPHID_MSG. */
  u2fOnly?: boolean;
  /** Persist the drill key here so it survives restarts; otherwise its keys live only in memory. */
  statePath?: string;
  path?: string;
  /** The USB serial number enumeration reports (YubiKeys show it only when configured to). */
  serialNumber?: string;
  deviceVersion?: [number, number, number];
  /** CTAP 2.1 clientPIN / built-in UV (virtual-client-pin.ts): a PIN-protected key or a Bio. */
  pin?: VirtualPinOptions;
}

export interface VirtualAuthenticator {
  readonly info: FidoDeviceInfo;
  readonly plugged: boolean;
  readonly signCount: number;
  /** A new handle on the device, like opening the HID path. */
  transport(): FidoHidTransport;
  plugIn(): void;
  /** Pulls the key out: open handles fail as node-hid's do and the device leaves discovery. */
  unplug(): void;
  /** Presses the button now (for touchDelayMs: null). */
  touch(): void;
  setFault(faults: VirtualFaults): void;
  clearFaults(): void;
}

let deviceCounter = 0;

export function createVirtualAuthenticator(options: VirtualAuthenticatorOptions = {}): VirtualAuthenticator {
  return new VirtualDevice(options);
}

interface Pending {
  cid: number;
  timers: unknown[];
  onTouch: () => void;
}

/**
 * The virtual key as one device: its drill state (attestation key, credential vault, counter),
 * its faults, its button and the wait for it. The protocol layers it carries answer the wire:
 * CTAPHID (virtual-ctaphid.ts), CTAP2 (virtual-ctap2.ts), U2F (virtual-u2f.ts) and clientPIN
 * (virtual-client-pin.ts).
 */
class VirtualDevice implements VirtualAuthenticator, VirtualCore {
  readonly info: FidoDeviceInfo;
  readonly clock: KeyClock;
  readonly touchDelayMs: number | null;
  readonly capabilities: number;
  readonly version: [number, number, number];
  readonly state: DrillState;
  readonly vault: CredentialVault;
  readonly clientPin: VirtualClientPin;
  faults: VirtualFaults;
  private readonly touchTimeoutMs: number;
  private readonly keepaliveMs: number;
  private readonly hid: VirtualCtaphid;
  private readonly ctap2: VirtualCtap2;
  private readonly u2f: VirtualU2f;
  private isPlugged = true;
  private pending: Pending | null = null;
  private lastReportedCount = 0;

  constructor(private readonly options: VirtualAuthenticatorOptions) {
    deviceCounter += 1;
    this.clock = options.clock ?? systemClock;
    this.touchDelayMs = options.touchDelayMs === undefined ? 300 : options.touchDelayMs;
    this.touchTimeoutMs = options.touchTimeoutMs ?? 30_000;
    this.keepaliveMs = Math.min(options.keepaliveIntervalMs ?? 80, 100);
    this.capabilities = options.u2fOnly ? Capability.WINK : Capability.WINK | Capability.CBOR;
    this.version = options.deviceVersion ?? [5, 7, 4];
    this.faults = { ...options.faults };
    this.state = options.statePath ? loadOrCreateDrillState(options.statePath) : newDrillState();
    this.vault = new CredentialVault(this.state.masterKey);
    this.clientPin = new VirtualClientPin(options.pin);
    this.lastReportedCount = this.state.signCount;
    this.ctap2 = new VirtualCtap2(this);
    this.u2f = new VirtualU2f(this);
    this.hid = new VirtualCtaphid(
      this,
      { cbor: (cid, data) => this.ctap2.handle(cid, data), msg: (cid, apdu) => this.u2f.handle(cid, apdu) },
      deviceCounter,
    );
    this.info = {
      path: options.path ?? `virtual:${deviceCounter}`,
      kind: 'virtual',
      vendorId: 0,
      productId: 0,
      product: VIRTUAL_PRODUCT,
      manufacturer: VIRTUAL_MANUFACTURER,
      ...(options.serialNumber ? { serialNumber: options.serialNumber } : {}),
    };
  }

  get plugged(): boolean {
    return this.isPlugged;
  }

  get signCount(): number {
    return this.state.signCount;
  }

  get pendingCid(): number | null {
    return this.pending?.cid ?? null;
  }

  transport(): FidoHidTransport {
    if (!this.isPlugged) throw new Error(`cannot open device with path ${this.info.path}`);
    return this.hid.open();
  }

  plugIn(): void {
    this.isPlugged = true;
  }

  unplug(): void {
    this.isPlugged = false;
    this.hid.unplug();
    this.endPending();
    this.clientPin.powerCycle();
    this.u2f.unplug();
  }

  touch(): void {
    if (this.pending) this.finish(this.pending.onTouch);
    else this.u2f.touch();
  }

  setFault(faults: VirtualFaults): void {
    this.faults = { ...this.faults, ...faults };
    if (faults.uvMismatch !== undefined) this.clientPin.uvMismatch = faults.uvMismatch;
  }

  clearFaults(): void {
    this.faults = {};
  }

  reply(cid: number, cmd: number, data: Buffer): void {
    this.hid.reply(cid, cmd, data);
  }

  keepalive(cid: number): void {
    this.hid.keepalive(cid);
  }

  cancel(cid: number): void {
    if (this.pending?.cid === cid) this.finish(() => this.ctap2.reply(cid, Ctap2Status.KEEPALIVE_CANCEL));
  }

  abandon(cid: number): void {
    if (this.pending?.cid === cid) this.endPending();
  }

  /** The signature counter (global, like a YubiKey's); the regression fault reports a lower one once. */
  nextCount(): number {
    this.state.signCount += 1;
    let reported = this.state.signCount;
    if (this.faults.counterRegression) {
      this.faults.counterRegression = undefined;
      reported = Math.max(1, this.lastReportedCount - 1);
    }
    this.lastReportedCount = reported;
    if (this.options.statePath) saveDrillState(this.options.statePath, this.state);
    return reported;
  }

  touchIsImmediate(): boolean {
    return this.touchDelayMs === 0 && !this.faults.noTouch && !this.faults.unplugMidTransaction;
  }

  waitForTouch(cid: number, onTouch: () => void): void {
    if (this.touchIsImmediate()) {
      onTouch();
      return;
    }
    const pending: Pending = { cid, timers: [], onTouch };
    this.pending = pending;
    const beat = () => {
      if (this.pending !== pending) return;
      this.keepalive(cid);
      pending.timers.push(this.clock.setTimeout(beat, this.keepaliveMs));
    };
    beat();
    if (this.faults.unplugMidTransaction) {
      this.faults.unplugMidTransaction = undefined;
      pending.timers.push(this.clock.setTimeout(() => this.unplug(), Math.min(20, this.keepaliveMs)));
      return;
    }
    if (!this.faults.noTouch && this.touchDelayMs !== null) {
      pending.timers.push(
        this.clock.setTimeout(() => this.pending === pending && this.finish(onTouch), this.touchDelayMs),
      );
    }
    pending.timers.push(
      this.clock.setTimeout(() => {
        if (this.pending === pending)
          this.finish(() => this.ctap2.reply(cid, this.faults.timeoutStatus ?? Ctap2Status.OPERATION_DENIED));
      }, this.touchTimeoutMs),
    );
  }

  private finish(action: () => void): void {
    this.endPending();
    action();
  }

  private endPending(): void {
    if (!this.pending) return;
    for (const timer of this.pending.timers) this.clock.clearTimeout(timer);
    this.pending = null;
  }
}
