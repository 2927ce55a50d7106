import { createHash, sign, type KeyObject } from 'node:crypto';
import { buildAssertionAuthData, buildAttestedAuthData, Flag } from '../../webauthn/authenticator-data';
import { asMap, decodeCanonical, encodeCtapMessage } from '../../webauthn/canonical-cbor';
import { publicKeyToCose } from '../../webauthn/cose-key';
import { BROADCAST_CID, Capability, Cmd, Ctap2Cmd, Ctap2Status, CTAPHID_PROTOCOL_VERSION, HidError, INIT_HEADER, KeepaliveStatus, REPORT_SIZE, TYPE_INIT, U2fAuthP1, U2fIns, U2fStatus } from '../transport/ctaphid-constants';
import { Assembly, fragment, MessageAssembler } from '../transport/ctaphid-frames';
import { systemClock, type KeyClock } from '../key-clock';
import type { FidoDeviceInfo, FidoHidTransport } from '../transport/transport';
import { CredentialVault } from './credential-vault';
import { loadOrCreateDrillState, newDrillState, saveDrillState, type DrillState } from './drill-state';
import { Permission } from '../ctap/client-pin-constants';
import { VirtualClientPin, type PinReply, type VirtualPinOptions } from './virtual-client-pin';
import { VIRTUAL_AAGUID, VIRTUAL_MANUFACTURER, VIRTUAL_PRODUCT } from '../../webauthn/virtual-marks';

/** Faults a drill or a test can switch on; one-shot faults clear themselves when they fire. */
export interface VirtualFaults {
  /** Nobody touches the key: it times out with `timeoutStatus` (0x27 unless set). */
  noTouch?: boolean;
  /** The plugged-in key is not the enrolled one: 0x2E (CTAP2) / 6A80 (U2F). */
  wrongKey?: boolean;
  /** One-shot: the key is pulled out while it waits for the touch. */
  unplugMidTransaction?: boolean;
  /** The next N requests are answered ERR_CHANNEL_BUSY, as when a browser holds the key. */
  busy?: number;
  /** The next N INITs on the broadcast channel are answered ERR_CHANNEL_BUSY. */
  initBusy?: number;
  /** One-shot: the next CBOR answer is broken in this way. */
  malformed?: 'non-canonical' | 'bad-seq' | 'truncated-cbor' | 'trailing-bytes';
  /** Foreign-channel packets, stray continuations and foreign-nonce INIT answers around every reply. */
  noise?: boolean;
  /** One-shot: the next assertion reports a counter below the previous one (a cloned key). */
  counterRegression?: boolean;
  /** The key insists on a PIN it will never accept: 0x36 PUAT_REQUIRED whatever is sent. */
  pinRequired?: boolean;
  /** The next N fingerprint reads (built-in UV) do not match: 0x3F, then 0x3C when used up. */
  uvMismatch?: number;
  /** Status for a touch timeout: 0x27 (CTAP 2.1), 0x2F or 0x3A. */
  timeoutStatus?: number;
}

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

/** A message whose next packet is this late is abandoned with ERR_MSG_TIMEOUT. */
const MESSAGE_TIMEOUT_MS = 500;
/** The answer to every successful write: the device takes a report synchronously. */
const WRITTEN: Promise<void> = Promise.resolve();
/** The parameters of a CTAP2 command sent without any; only ever read. */
const NO_PARAMS = new Map<unknown, unknown>();

export function createVirtualAuthenticator(options: VirtualAuthenticatorOptions = {}): VirtualAuthenticator {
  return new VirtualDevice(options);
}

interface Pending {
  cid: number;
  timers: unknown[];
  onTouch: () => void;
}

class VirtualHandle implements FidoHidTransport {
  private queue: Buffer[] = [];
  private waiter: { resolve: (b: Buffer | null) => void; reject: (e: Error) => void; timer: unknown } | null = null;
  private closed = false;
  dead = false;

  constructor(private readonly device: VirtualDevice, private readonly clock: KeyClock) {}

  /** The device takes a report synchronously, so every successful write answers one settled promise. */
  write(report64: Buffer): Promise<void> {
    if (this.dead) return Promise.reject(new Error('Cannot write to hid device'));
    if (this.closed) return Promise.reject(new Error('device has been closed'));
    // No copy: the device's assembler copies what it keeps, as a device reads bytes off the wire.
    this.device.receive(report64);
    return WRITTEN;
  }

  read(timeoutMs: number): Promise<Buffer | null> {
    if (this.dead) return Promise.reject(new Error('could not read data from device'));
    if (this.closed) return Promise.reject(new Error('device has been closed'));
    const next = this.queue.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.device.detach(this);
    this.settle(null);
  }

  deliver(report: Buffer): void {
    if (this.closed || this.dead) return;
    if (this.waiter) this.settle(report);
    else this.queue.push(report);
  }

  kill(): void {
    this.dead = true;
    this.queue = [];
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) {
      this.clock.clearTimeout(waiter.timer);
      waiter.reject(new Error('could not read data from device'));
    }
  }

  private settle(value: Buffer | null): void {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) {
      this.clock.clearTimeout(waiter.timer);
      waiter.resolve(value);
    }
  }
}

class VirtualDevice implements VirtualAuthenticator {
  readonly info: FidoDeviceInfo;
  private readonly clock: KeyClock;
  private readonly touchDelayMs: number | null;
  private readonly touchTimeoutMs: number;
  private readonly keepaliveMs: number;
  private readonly capabilities: number;
  private readonly version: [number, number, number];
  private readonly state: DrillState;
  private readonly vault: CredentialVault;
  private readonly clientPin: VirtualClientPin;
  private faults: VirtualFaults;
  private isPlugged = true;
  /** Open handles, in opening order (an array: walking it per message allocates nothing). */
  private handles: VirtualHandle[] = [];
  private channels = new Set<number>();
  private nextCid: number;
  private assembler = new MessageAssembler();
  private messageTimer: unknown = null;
  /** The channel and deadline of the message being received (see onMessageStall). */
  private stalledCid = 0;
  private stallDeadline = 0;
  /** SHA-256 of recent RP IDs: the same few are hashed on every request. */
  private readonly rpIdHashes = new Map<string, Buffer>();
  private pending: Pending | null = null;
  private lastReportedCount = 0;
  private u2fPresence = false;
  private u2fTouchTimer: unknown = null;

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
    this.nextCid = 0x0100_0000 * ((deviceCounter % 0x7e) + 1) + 1;
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

  transport(): FidoHidTransport {
    if (!this.isPlugged) throw new Error(`cannot open device with path ${this.info.path}`);
    const handle = new VirtualHandle(this, this.clock);
    this.handles.push(handle);
    return handle;
  }

  detach(handle: VirtualHandle): void {
    const index = this.handles.indexOf(handle);
    if (index >= 0) this.handles.splice(index, 1);
  }

  plugIn(): void {
    this.isPlugged = true;
  }

  unplug(): void {
    this.isPlugged = false;
    for (const handle of this.handles) handle.kill();
    this.handles = [];
    this.endPending();
    this.assembler.reset();
    this.clearTimer('messageTimer');
    this.channels.clear();
    this.clientPin.powerCycle();
    this.u2fPresence = false;
    if (this.u2fTouchTimer) this.clock.clearTimeout(this.u2fTouchTimer);
    this.u2fTouchTimer = null;
  }

  touch(): void {
    if (this.pending) this.finish(this.pending.onTouch);
    else this.u2fPresence = true;
  }

  setFault(faults: VirtualFaults): void {
    this.faults = { ...this.faults, ...faults };
    if (faults.uvMismatch !== undefined) this.clientPin.uvMismatch = faults.uvMismatch;
  }

  clearFaults(): void {
    this.faults = {};
  }

  // ---- CTAPHID ----

  receive(report: Buffer): void {
    if (!this.isPlugged || report.length !== REPORT_SIZE) return;
    const cid = report.readUInt32BE(0);
    const type = report[4]!;
    if (type & TYPE_INIT) {
      const cmd = type & 0x7f;
      if (cmd === Cmd.CANCEL) {
        if (this.pending?.cid === cid) {
          this.finish(() => this.ctapReply(cid, Ctap2Status.KEEPALIVE_CANCEL));
        }
        return;
      }
      if (cmd === Cmd.INIT) {
        this.init(cid, report);
        return;
      }
      const busyWith = this.pending?.cid ?? this.assembler.pendingCid;
      if (busyWith !== null && busyWith !== undefined) {
        this.sendError(cid, HidError.CHANNEL_BUSY);
        return;
      }
      if (this.faults.busy && this.faults.busy > 0) {
        this.faults.busy -= 1;
        this.sendError(cid, HidError.CHANNEL_BUSY);
        return;
      }
    }
    const assembler = this.assembler;
    const status = assembler.add(report);
    if (status === Assembly.IGNORED) return;
    if (status === Assembly.PARTIAL) {
      // A transaction must arrive back to back; a stalled sender gets ERR_MSG_TIMEOUT.
      this.stalledCid = assembler.lastCid;
      this.stallDeadline = this.clock.now() + MESSAGE_TIMEOUT_MS;
      if (this.messageTimer === null) this.messageTimer = this.clock.setTimeout(this.onMessageStall, MESSAGE_TIMEOUT_MS);
      return;
    }
    this.clearTimer('messageTimer');
    if (status === Assembly.ERROR) this.sendError(assembler.lastCid, assembler.lastCode);
    else this.dispatch(assembler.lastCid, assembler.lastCmd, assembler.lastData);
  }

  /**
   * The message timer runs MESSAGE_TIMEOUT_MS after the latest packet. It is armed once per
   * message rather than once per packet: when it fires while packets are still arriving, it
   * re-arms for the time left.
   */
  private readonly onMessageStall = (): void => {
    const left = this.stallDeadline - this.clock.now();
    if (left > 0) {
      this.messageTimer = this.clock.setTimeout(this.onMessageStall, left);
      return;
    }
    this.messageTimer = null;
    this.assembler.reset();
    this.sendError(this.stalledCid, HidError.MSG_TIMEOUT);
  };

  private init(cid: number, report: Buffer): void {
    if (this.faults.initBusy && cid === BROADCAST_CID) {
      this.faults.initBusy -= 1;
      return this.sendError(cid, HidError.CHANNEL_BUSY);
    }
    const length = report.readUInt16BE(5);
    if (length !== 8) {
      this.sendError(cid, HidError.INVALID_LEN);
      return;
    }
    const nonce = report.subarray(INIT_HEADER, INIT_HEADER + 8);
    let allocated: number;
    if (cid === BROADCAST_CID) {
      allocated = this.nextCid++;
      this.channels.add(allocated);
    } else if (this.channels.has(cid)) {
      // INIT on an allocated channel resynchronises it, dropping whatever it was doing.
      if (this.pending?.cid === cid) this.endPending();
      if (this.assembler.pendingCid === cid) this.assembler.reset();
      allocated = cid;
    } else {
      this.sendError(cid, HidError.INVALID_CHANNEL);
      return;
    }
    const body = (n: Buffer) => Buffer.concat([n, u32(allocated), Buffer.from([CTAPHID_PROTOCOL_VERSION, ...this.version, this.capabilities])]);
    if (this.faults.noise) {
      const foreign = Buffer.from(nonce);
      foreign[0]! ^= 0xff;
      this.emitAll(fragment(cid, Cmd.INIT, body(foreign)));
    }
    this.emitAll(fragment(cid, Cmd.INIT, body(Buffer.from(nonce))));
  }

  private dispatch(cid: number, cmd: number, data: Buffer): void {
    if (cid === BROADCAST_CID || cid === 0 || !this.channels.has(cid)) {
      this.sendError(cid, HidError.INVALID_CHANNEL);
      return;
    }
    switch (cmd) {
      case Cmd.PING:
        this.reply(cid, Cmd.PING, data);
        return;
      case Cmd.WINK:
      case Cmd.LOCK:
        this.reply(cid, cmd, Buffer.alloc(0));
        return;
      case Cmd.MSG:
        this.handleApdu(cid, data);
        return;
      case Cmd.CBOR:
        if (!(this.capabilities & Capability.CBOR)) this.sendError(cid, HidError.INVALID_CMD);
        else this.handleCbor(cid, data);
        return;
      default:
        this.sendError(cid, HidError.INVALID_CMD);
    }
  }

  private emitAll(reports: Buffer[]): void {
    // Every report is a fresh buffer (fragment allocates per report); with several readers open,
    // each gets its own copy, as from a real device.
    const handles = this.handles;
    const shared = handles.length === 1;
    for (const report of reports) for (let i = 0; i < handles.length; i++) handles[i]!.deliver(shared ? report : Buffer.from(report));
  }

  private sendError(cid: number, code: number): void {
    this.emitAll(fragment(cid, Cmd.ERROR, Buffer.from([code])));
  }

  private reply(cid: number, cmd: number, data: Buffer): void {
    const reports = fragment(cid, cmd, data);
    if (this.faults.noise) {
      this.emitAll(fragment((cid ^ 0x5a5a5a5a) >>> 0, cmd, Buffer.from('not for you')));
      const stray = Buffer.alloc(REPORT_SIZE);
      stray.writeUInt32BE(cid, 0);
      stray[4] = 3;
      this.emitAll([stray]);
    }
    if (this.faults.malformed === 'bad-seq' && reports.length > 1) {
      this.faults.malformed = undefined;
      reports[1]![4] = 7;
    }
    this.emitAll(reports);
  }

  private keepalive(cid: number): void {
    this.emitAll(fragment(cid, Cmd.KEEPALIVE, Buffer.from([KeepaliveStatus.UPNEEDED])));
  }

  // ---- CTAP2 ----

  private ctapReply(cid: number, status: number, body?: Map<unknown, unknown>): void {
    // The status byte, then the CBOR body.
    let message = encodeCtapMessage(status, body ?? null);
    const fault = this.faults.malformed;
    if (body && fault && fault !== 'bad-seq') {
      this.faults.malformed = undefined;
      const cbor = message.subarray(1);
      if (fault === 'non-canonical') message = Buffer.concat([Buffer.from([status, 0xb8, cbor[0]! & 0x1f]), cbor.subarray(1)]);
      if (fault === 'truncated-cbor') message = message.subarray(0, message.length - 5);
      if (fault === 'trailing-bytes') message = Buffer.concat([message, Buffer.from([0x00])]);
    }
    this.reply(cid, Cmd.CBOR, message);
  }

  private handleCbor(cid: number, data: Buffer): void {
    if (data.length === 0) {
      this.ctapReply(cid, Ctap2Status.INVALID_LENGTH);
      return;
    }
    let params = NO_PARAMS;
    if (data.length > 1) {
      try {
        params = asMap(decodeCanonical(data, 1), 'request');
      } catch {
        this.ctapReply(cid, Ctap2Status.INVALID_CBOR);
        return;
      }
    }
    switch (data[0]) {
      case Ctap2Cmd.GET_INFO:
        this.ctapReply(cid, Ctap2Status.SUCCESS, this.getInfo());
        return;
      case Ctap2Cmd.MAKE_CREDENTIAL:
        this.makeCredential(cid, params);
        return;
      case Ctap2Cmd.GET_ASSERTION:
        this.getAssertion(cid, params);
        return;
      case Ctap2Cmd.CLIENT_PIN:
        this.clientPinCommand(cid, this.clientPin.command(params));
        return;
      default:
        this.ctapReply(cid, Ctap2Status.INVALID_COMMAND);
    }
  }

  private getInfo(): Map<unknown, unknown> {
    return new Map<unknown, unknown>([
      [0x01, ['FIDO_2_0', 'FIDO_2_1', 'U2F_V2']],
      [0x03, VIRTUAL_AAGUID],
      [0x04, new Map<string, boolean>([['rk', false], ['up', true], ['plat', false], ...this.clientPin.infoOptions()])],
      [0x05, 1200],
      [0x06, this.clientPin.protocols],
      [0x07, 8],
      [0x0a, [new Map<string, unknown>([['alg', -7], ['type', 'public-key']])]],
      [0x0e, (this.version[0] << 16) | (this.version[1] << 8) | this.version[2]],
    ]);
  }

  private makeCredential(cid: number, p: Map<unknown, unknown>): void {
    const cdh = p.get(0x01);
    const rp = p.get(0x02);
    const user = p.get(0x03);
    const algs = p.get(0x04);
    if (!(cdh instanceof Uint8Array) || !(rp instanceof Map) || !(user instanceof Map) || !Array.isArray(algs)) {
      this.ctapReply(cid, Ctap2Status.MISSING_PARAMETER);
      return;
    }
    const rpId = rp.get('id');
    if (cdh.length !== 32 || typeof rpId !== 'string' || !(user.get('id') instanceof Uint8Array)) {
      this.ctapReply(cid, Ctap2Status.INVALID_PARAMETER);
      return;
    }
    if (!algs.some((a) => a instanceof Map && a.get('alg') === -7 && a.get('type') === 'public-key')) {
      this.ctapReply(cid, Ctap2Status.UNSUPPORTED_ALGORITHM);
      return;
    }
    const opts = p.get(0x07);
    if (opts instanceof Map && opts.get('rk') === true) return this.ctapReply(cid, Ctap2Status.UNSUPPORTED_OPTION);
    if (opts instanceof Map && opts.get('up') === false) return this.ctapReply(cid, Ctap2Status.INVALID_OPTION);
    if (this.faults.pinRequired) return this.ctapReply(cid, Ctap2Status.PUAT_REQUIRED);
    const uv = this.clientPin.authorize(p, 0x08, 0x09, cdh, Permission.MC, rpId);
    if (uv.status !== 0 || !('uv' in uv)) return this.ctapReply(cid, uv.status);
    const rpIdHash = this.rpIdHash(rpId);
    const exclude = p.get(0x05);
    const excluded = Array.isArray(exclude) && exclude.some((d) => d instanceof Map && d.get('id') instanceof Uint8Array && this.vault.open(d.get('id') as Uint8Array, rpIdHash) !== null);
    this.waitForTouch(cid, () => {
      if (excluded) return this.ctapReply(cid, Ctap2Status.CREDENTIAL_EXCLUDED);
      const credential = this.vault.create(rpIdHash);
      const count = this.nextCount();
      const authData = buildAttestedAuthData(rpIdHash, Flag.UP | (uv.uv ? Flag.UV : 0), count, {
        aaguid: VIRTUAL_AAGUID,
        credentialId: credential.credentialId,
        cosePublicKey: publicKeyToCose(credential.publicKey),
      });
      const sig = sign('sha256', Buffer.concat([authData, cdh]), this.state.attestation.privateKey);
      const attStmt = new Map<string, unknown>([['alg', -7], ['sig', sig], ['x5c', [this.state.attestation.certificate]]]);
      this.ctapReply(cid, Ctap2Status.SUCCESS, new Map<unknown, unknown>([[0x01, 'packed'], [0x02, authData], [0x03, attStmt]]));
    });
  }

  private getAssertion(cid: number, p: Map<unknown, unknown>): void {
    const rpId = p.get(0x01);
    const cdh = p.get(0x02);
    if (typeof rpId !== 'string' || !(cdh instanceof Uint8Array)) return this.ctapReply(cid, Ctap2Status.MISSING_PARAMETER);
    if (cdh.length !== 32) return this.ctapReply(cid, Ctap2Status.INVALID_PARAMETER);
    const opts = p.get(0x05);
    if (opts instanceof Map && (opts.has('rk') || opts.get('uv') === true)) return this.ctapReply(cid, Ctap2Status.UNSUPPORTED_OPTION);
    if (this.faults.pinRequired) return this.ctapReply(cid, Ctap2Status.PUAT_REQUIRED);
    const checked = this.clientPin.authorize(p, 0x06, 0x07, cdh, Permission.GA, rpId);
    if (checked.status !== 0 || !('uv' in checked)) return this.ctapReply(cid, checked.status);
    const flags = (checked.uv ? Flag.UV : 0) | (opts instanceof Map && opts.get('up') === false ? 0 : Flag.UP);
    const up = (flags & Flag.UP) !== 0;
    const rpIdHash = this.rpIdHash(rpId);
    const allow = p.get(0x03);
    let credentialId: Uint8Array | null = null;
    let key = null;
    if (Array.isArray(allow) && !this.faults.wrongKey) {
      for (const descriptor of allow) {
        const id = descriptor instanceof Map ? descriptor.get('id') : undefined;
        if (!(id instanceof Uint8Array)) continue;
        key = this.vault.open(id, rpIdHash);
        if (key) {
          credentialId = id;
          break;
        }
      }
    }
    if (!key || !credentialId) return this.ctapReply(cid, Ctap2Status.NO_CREDENTIALS);
    const privateKey = key;
    const id = credentialId;
    // Without a touch to wait for, answer straight away rather than through a callback.
    // A token from the fingerprint sensor already carries the presence (CTAP 2.1 §6.2.2 step 9).
    if (!up || checked.presenceDone || this.touchIsImmediate()) this.assertion(cid, rpIdHash, flags, cdh, privateKey, id);
    else this.waitForTouch(cid, () => this.assertion(cid, rpIdHash, flags, cdh, privateKey, id));
  }

  /** A clientPIN answer, after the finger on the sensor (the touch) when built-in UV asked for it. */
  private clientPinCommand(cid: number, reply: PinReply): void {
    if ('status' in reply) return this.ctapReply(cid, reply.status, reply.body);
    this.waitForTouch(cid, () => {
      const done = reply.touch();
      this.ctapReply(cid, done.status, done.body);
    });
  }

  private assertion(cid: number, rpIdHash: Buffer, flags: number, cdh: Uint8Array, privateKey: KeyObject, credentialId: Uint8Array): void {
    const authData = buildAssertionAuthData(rpIdHash, flags, this.nextCount());
    const sig = sign('sha256', Buffer.concat([authData, cdh]), privateKey);
    // The credential as a plain object: the same CBOR as a text-keyed Map, for less.
    const response = new Map<unknown, unknown>().set(0x01, { id: credentialId, type: 'public-key' }).set(0x02, authData).set(0x03, sig);
    this.ctapReply(cid, Ctap2Status.SUCCESS, response);
  }

  private rpIdHash(rpId: string): Buffer {
    let hash = this.rpIdHashes.get(rpId);
    if (!hash) {
      if (this.rpIdHashes.size >= 64) this.rpIdHashes.clear();
      hash = createHash('sha256').update(rpId, 'utf8').digest();
      this.rpIdHashes.set(rpId, hash);
    }
    return hash;
  }

  /** The signature counter (global, like a YubiKey's); the regression fault reports a lower one once. */
  private nextCount(): number {
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

  /** With touchDelayMs 0 and no fault in the way, the touch is already there. */
  private touchIsImmediate(): boolean {
    return this.touchDelayMs === 0 && !this.faults.noTouch && !this.faults.unplugMidTransaction;
  }

  private waitForTouch(cid: number, onTouch: () => void): void {
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
      pending.timers.push(this.clock.setTimeout(() => this.pending === pending && this.finish(onTouch), this.touchDelayMs));
    }
    pending.timers.push(this.clock.setTimeout(() => {
      if (this.pending === pending) this.finish(() => this.ctapReply(cid, this.faults.timeoutStatus ?? Ctap2Status.OPERATION_DENIED));
    }, this.touchTimeoutMs));
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

  private clearTimer(name: 'messageTimer'): void {
    if (this[name]) this.clock.clearTimeout(this[name]);
    this[name] = null;
  }

  // ---- U2F (CTAPHID_MSG) ----

  private apduReply(cid: number, status: number, data: Buffer = Buffer.alloc(0)): void {
    const sw = Buffer.alloc(2);
    sw.writeUInt16BE(status, 0);
    this.reply(cid, Cmd.MSG, Buffer.concat([data, sw]));
  }

  /** U2F has no keepalive: "6985" until the button was pressed, then the press is used up. */
  private consumePresence(): boolean {
    if (this.faults.unplugMidTransaction) {
      this.faults.unplugMidTransaction = undefined;
      this.clock.setTimeout(() => this.unplug(), 20);
      return false;
    }
    if (this.faults.noTouch) return false;
    if (this.touchDelayMs === 0 || this.u2fPresence) {
      this.u2fPresence = false;
      return true;
    }
    if (!this.u2fTouchTimer && this.touchDelayMs !== null) {
      this.u2fTouchTimer = this.clock.setTimeout(() => {
        this.u2fTouchTimer = null;
        this.u2fPresence = true;
      }, this.touchDelayMs);
    }
    return false;
  }

  private handleApdu(cid: number, apdu: Buffer): void {
    if (apdu.length < 7 || apdu[4] !== 0) return this.apduReply(cid, U2fStatus.WRONG_LENGTH);
    const ins = apdu[1]!;
    const p1 = apdu[2]!;
    const lc = apdu.readUInt16BE(5);
    if (apdu.length < 7 + lc) return this.apduReply(cid, U2fStatus.WRONG_LENGTH);
    const body = apdu.subarray(7, 7 + lc);
    if (ins === U2fIns.VERSION) return this.apduReply(cid, U2fStatus.OK, Buffer.from('U2F_V2'));
    if (ins === U2fIns.REGISTER) {
      if (body.length !== 64) return this.apduReply(cid, U2fStatus.WRONG_LENGTH);
      if (!this.consumePresence()) return this.apduReply(cid, U2fStatus.CONDITIONS_NOT_SATISFIED);
      const challenge = body.subarray(0, 32);
      const app = body.subarray(32, 64);
      const credential = this.vault.create(Buffer.from(app));
      const jwk = credential.publicKey.export({ format: 'jwk' });
      const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      const handle = credential.credentialId;
      const signed = Buffer.concat([Buffer.from([0x00]), app, challenge, handle, point]);
      const sig = sign('sha256', signed, this.state.attestation.privateKey);
      return this.apduReply(cid, U2fStatus.OK, Buffer.concat([Buffer.from([0x05]), point, Buffer.from([handle.length]), handle, this.state.attestation.certificate, sig]));
    }
    if (ins === U2fIns.AUTHENTICATE) {
      if (body.length < 65 || body.length !== 65 + body[64]!) return this.apduReply(cid, U2fStatus.WRONG_LENGTH);
      const challenge = body.subarray(0, 32);
      const app = Buffer.from(body.subarray(32, 64));
      const key = this.faults.wrongKey ? null : this.vault.open(body.subarray(65), app);
      if (!key) return this.apduReply(cid, U2fStatus.WRONG_DATA);
      if (p1 === U2fAuthP1.CHECK_ONLY) return this.apduReply(cid, U2fStatus.CONDITIONS_NOT_SATISFIED);
      const enforce = p1 === U2fAuthP1.ENFORCE_UP_AND_SIGN;
      if (enforce && !this.consumePresence()) return this.apduReply(cid, U2fStatus.CONDITIONS_NOT_SATISFIED);
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(this.nextCount(), 0);
      const presence = Buffer.from([enforce ? 0x01 : 0x00]);
      const sig = sign('sha256', Buffer.concat([app, presence, counter, challenge]), key);
      return this.apduReply(cid, U2fStatus.OK, Buffer.concat([presence, counter, sig]));
    }
    return this.apduReply(cid, U2fStatus.INS_NOT_SUPPORTED);
  }
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}
