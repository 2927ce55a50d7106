import {
  BROADCAST_CID,
  Capability,
  Cmd,
  CTAPHID_PROTOCOL_VERSION,
  HidError,
  INIT_HEADER,
  KeepaliveStatus,
  REPORT_SIZE,
  TYPE_INIT,
} from '../transport/ctaphid-constants';
import { Assembly, fragment, MessageAssembler } from '../transport/ctaphid-frames';
import type { VirtualCore } from './virtual-core';
import { VirtualHidHandle } from './virtual-hid-handle';

/** A message whose next packet is this late is abandoned with ERR_MSG_TIMEOUT. */
const MESSAGE_TIMEOUT_MS = 500;

/** Where a complete CTAPHID_CBOR or CTAPHID_MSG message goes. */
export interface VirtualCommands {
  cbor(cid: number, data: Buffer): void;
  msg(cid: number, apdu: Buffer): void;
}

/**
 * The virtual key's CTAPHID layer (CTAP 2.1 §11.2): open handles, channel allocation, message
 * assembly with its timeout, busy and invalid-channel errors, and every report sent back.
 */
export class VirtualCtaphid {
  /** Open handles, in opening order (an array: walking it per message allocates nothing). */
  private handles: VirtualHidHandle[] = [];
  private channels = new Set<number>();
  private nextCid: number;
  private assembler = new MessageAssembler();
  private messageTimer: unknown = null;
  /** The channel and deadline of the message being received (see onMessageStall). */
  private stalledCid = 0;
  private stallDeadline = 0;

  constructor(
    private readonly core: VirtualCore,
    private readonly commands: VirtualCommands,
    deviceNumber: number,
  ) {
    this.nextCid = 0x0100_0000 * ((deviceNumber % 0x7e) + 1) + 1;
  }

  open(): VirtualHidHandle {
    const handle = new VirtualHidHandle(this, this.core.clock);
    this.handles.push(handle);
    return handle;
  }

  detach(handle: VirtualHidHandle): void {
    const index = this.handles.indexOf(handle);
    if (index >= 0) this.handles.splice(index, 1);
  }

  /** Pulled out: open handles fail as node-hid's do, and channels and half-received messages are gone. */
  unplug(): void {
    for (const handle of this.handles) handle.kill();
    this.handles = [];
    this.assembler.reset();
    this.clearMessageTimer();
    this.channels.clear();
  }

  receive(report: Buffer): void {
    if (!this.core.plugged || report.length !== REPORT_SIZE) return;
    const cid = report.readUInt32BE(0);
    const type = report[4]!;
    if (type & TYPE_INIT) {
      const cmd = type & 0x7f;
      if (cmd === Cmd.CANCEL) {
        this.core.cancel(cid);
        return;
      }
      if (cmd === Cmd.INIT) {
        this.init(cid, report);
        return;
      }
      const busyWith = this.core.pendingCid ?? this.assembler.pendingCid;
      if (busyWith !== null && busyWith !== undefined) {
        this.sendError(cid, HidError.CHANNEL_BUSY);
        return;
      }
      const faults = this.core.faults;
      if (faults.busy && faults.busy > 0) {
        faults.busy -= 1;
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
      this.stallDeadline = this.core.clock.now() + MESSAGE_TIMEOUT_MS;
      if (this.messageTimer === null)
        this.messageTimer = this.core.clock.setTimeout(this.onMessageStall, MESSAGE_TIMEOUT_MS);
      return;
    }
    this.clearMessageTimer();
    if (status === Assembly.ERROR) this.sendError(assembler.lastCid, assembler.lastCode);
    else this.dispatch(assembler.lastCid, assembler.lastCmd, assembler.lastData);
  }

  /** A CTAPHID message on a channel, with the noise and bad-seq faults when they are on. */
  reply(cid: number, cmd: number, data: Buffer): void {
    const reports = fragment(cid, cmd, data);
    const faults = this.core.faults;
    if (faults.noise) {
      this.emitAll(fragment((cid ^ 0x5a5a5a5a) >>> 0, cmd, Buffer.from('not for you')));
      const stray = Buffer.alloc(REPORT_SIZE);
      stray.writeUInt32BE(cid, 0);
      stray[4] = 3;
      this.emitAll([stray]);
    }
    if (faults.malformed === 'bad-seq' && reports.length > 1) {
      faults.malformed = undefined;
      reports[1]![4] = 7;
    }
    this.emitAll(reports);
  }

  keepalive(cid: number): void {
    this.emitAll(fragment(cid, Cmd.KEEPALIVE, Buffer.from([KeepaliveStatus.UPNEEDED])));
  }

  /**
   * The message timer runs MESSAGE_TIMEOUT_MS after the latest packet. It is armed once per
   * message rather than once per packet: when it fires while packets are still arriving, it
   * re-arms for the time left.
   */
  private readonly onMessageStall = (): void => {
    const left = this.stallDeadline - this.core.clock.now();
    if (left > 0) {
      this.messageTimer = this.core.clock.setTimeout(this.onMessageStall, left);
      return;
    }
    this.messageTimer = null;
    this.assembler.reset();
    this.sendError(this.stalledCid, HidError.MSG_TIMEOUT);
  };

  private init(cid: number, report: Buffer): void {
    const faults = this.core.faults;
    if (faults.initBusy && cid === BROADCAST_CID) {
      faults.initBusy -= 1;
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
      this.core.abandon(cid);
      if (this.assembler.pendingCid === cid) this.assembler.reset();
      allocated = cid;
    } else {
      this.sendError(cid, HidError.INVALID_CHANNEL);
      return;
    }
    const version = this.core.version;
    const body = (n: Buffer) =>
      Buffer.concat([n, u32(allocated), Buffer.from([CTAPHID_PROTOCOL_VERSION, ...version, this.core.capabilities])]);
    if (faults.noise) {
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
        this.commands.msg(cid, data);
        return;
      case Cmd.CBOR:
        if (!(this.core.capabilities & Capability.CBOR)) this.sendError(cid, HidError.INVALID_CMD);
        else this.commands.cbor(cid, data);
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
    for (const report of reports)
      for (let i = 0; i < handles.length; i++) handles[i]!.deliver(shared ? report : Buffer.from(report));
  }

  private sendError(cid: number, code: number): void {
    this.emitAll(fragment(cid, Cmd.ERROR, Buffer.from([code])));
  }

  private clearMessageTimer(): void {
    if (this.messageTimer) this.core.clock.clearTimeout(this.messageTimer);
    this.messageTimer = null;
  }
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}
