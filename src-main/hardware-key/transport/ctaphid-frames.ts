import { copyBytes, readU32 } from '../../webauthn/bytes';
import {
  CONT_DATA,
  CONT_HEADER,
  HidError,
  INIT_DATA,
  INIT_HEADER,
  MAX_MESSAGE,
  MAX_SEQ,
  REPORT_SIZE,
  TYPE_INIT,
} from './ctaphid-constants';

/** How many 64-byte reports a message of `length` bytes takes: one init packet, then continuations. */
export function reportCount(length: number): number {
  return 1 + Math.ceil(Math.max(0, length - INIT_DATA) / CONT_DATA);
}

/**
 * Writes report `index` of a message into `report` (64 bytes, fully overwritten): index 0 is the
 * init packet (CID, CMD|0x80, BCNT, 57 bytes), then continuation packets (CID, SEQ 0..0x7F,
 * 59 bytes), zero-padded (brief §3.2). A sender can reuse one report buffer for a whole message.
 */
export function writeReport(report: Uint8Array, cid: number, cmd: number, data: Uint8Array, index: number): void {
  const from = index === 0 ? 0 : INIT_DATA + (index - 1) * CONT_DATA;
  const to = Math.min(data.length, from + (index === 0 ? INIT_DATA : CONT_DATA));
  report[0] = cid >>> 24;
  report[1] = cid >>> 16;
  report[2] = cid >>> 8;
  report[3] = cid;
  let at: number;
  if (index === 0) {
    report[4] = TYPE_INIT | (cmd & 0x7f);
    report[5] = data.length >> 8;
    report[6] = data.length;
    at = INIT_HEADER;
  } else {
    report[4] = index - 1;
    at = CONT_HEADER;
  }
  copyBytes(data, from, to, report, at);
  report.fill(0, at + Math.max(0, to - from));
}

/** Refuses a message the framing cannot carry. */
export function checkMessageLength(length: number): void {
  if (length > MAX_MESSAGE) throw new RangeError(`CTAPHID message of ${length} bytes exceeds ${MAX_MESSAGE}`);
}

/** Splits one CTAPHID message into 64-byte reports, each a fresh buffer the caller owns. */
export function fragment(cid: number, cmd: number, data: Uint8Array): Buffer[] {
  checkMessageLength(data.length);
  const count = reportCount(data.length);
  const reports: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    // A slice of Node's buffer pool: no backing store of its own for the collector to track.
    // writeReport overwrites every byte, so the unsafe allocation leaks nothing.
    const report = Buffer.allocUnsafe(REPORT_SIZE);
    writeReport(report, cid, cmd, data, index);
    reports.push(report);
  }
  return reports;
}

const EMPTY = Buffer.alloc(0);

/** What MessageAssembler.add made of one report; the details are in the assembler's `last*` fields. */
export const Assembly = {
  /** More packets are needed for the message in progress (`lastCid`). */
  PARTIAL: 0,
  /** A complete message: `lastCid`, `lastCmd`, `lastData` (a fresh buffer the caller owns). */
  MESSAGE: 1,
  /** A packet that belongs to no message (stray continuation, other channel): skipped. */
  IGNORED: 2,
  /** A framing error on `lastCid`: `lastCode` is the CTAPHID error a device would answer with, `lastReason` says why. */
  ERROR: 3,
} as const;
export type AssemblyStatus = (typeof Assembly)[keyof typeof Assembly];

export type AssemblyResult =
  /** A complete message. */
  | { kind: 'message'; cid: number; cmd: number; data: Buffer }
  /** More packets are needed for the message in progress. */
  | { kind: 'partial'; cid: number }
  /** A packet that belongs to no message (stray continuation, other channel): skipped. */
  | { kind: 'ignored'; reason: string }
  /** A framing error; `code` is the CTAPHID error a device would answer with. */
  | { kind: 'error'; cid: number; code: number; reason: string };

const STRAY_CONTINUATION = 'continuation packet without an init packet on this channel';

/**
 * Reassembles CTAPHID messages from 64-byte reports, one message at a time. It never throws:
 * every odd input is a result, so both the client and the virtual device can decide what a
 * malformed packet means for them. `add` reports through a status and fields rather than a
 * result object per report (the hot path); `push` is the same as one object.
 */
export class MessageAssembler {
  /** Channel of the last PARTIAL, MESSAGE or ERROR. */
  lastCid = 0;
  /** Command of the last MESSAGE. */
  lastCmd = 0;
  /** The last MESSAGE; the assembler never touches it again. */
  lastData: Buffer = EMPTY;
  /** CTAPHID error code of the last ERROR. */
  lastCode = 0;
  /** Why the last report was IGNORED or an ERROR. */
  lastReason = '';

  private cid = 0;
  private cmd = 0;
  private expected = 0;
  private nextSeq = 0;
  /** The message being received, allocated once at its init packet. */
  private message: Buffer = EMPTY;
  private received = 0;
  private active = false;

  constructor(private readonly maxMessage: number = MAX_MESSAGE) {}

  /** The channel whose message is half-received, if any. */
  get pendingCid(): number | null {
    return this.active ? this.cid : null;
  }

  reset(): void {
    this.active = false;
    this.message = EMPTY;
    this.received = 0;
  }

  /** Takes one report; see Assembly for what the status means. */
  add(report: Uint8Array): AssemblyStatus {
    if (report.length !== REPORT_SIZE) {
      return this.error(
        report.length >= 4 ? readU32(report, 0) : 0,
        HidError.INVALID_LEN,
        `report of ${report.length} bytes, expected ${REPORT_SIZE}`,
      );
    }
    const cid = readU32(report, 0);
    const type = report[4]!;
    if (type & TYPE_INIT) {
      // One transaction at a time: another channel's init packet must not clobber a half-received message.
      if (this.active && cid !== this.cid)
        return this.error(cid, HidError.CHANNEL_BUSY, `channel 0x${this.cid.toString(16)} is mid-message`);
      const length = (report[5]! << 8) | report[6]!;
      if (length > this.maxMessage) {
        this.reset();
        return this.error(cid, HidError.INVALID_LEN, `announced length ${length} exceeds ${this.maxMessage}`);
      }
      this.cid = cid;
      this.cmd = type & 0x7f;
      this.expected = length;
      this.nextSeq = 0;
      const take = Math.min(length, INIT_DATA);
      this.message = Buffer.allocUnsafe(length);
      copyBytes(report, INIT_HEADER, INIT_HEADER + take, this.message, 0);
      this.received = take;
      this.active = true;
      return this.complete();
    }
    if (!this.active || cid !== this.cid) {
      this.lastReason = STRAY_CONTINUATION;
      return Assembly.IGNORED;
    }
    if (type !== this.nextSeq || type > MAX_SEQ) {
      const expectedSeq = this.nextSeq;
      this.reset();
      return this.error(cid, HidError.INVALID_SEQ, `continuation SEQ ${type}, expected ${expectedSeq}`);
    }
    this.nextSeq++;
    const take = Math.min(this.expected - this.received, CONT_DATA);
    copyBytes(report, CONT_HEADER, CONT_HEADER + take, this.message, this.received);
    this.received += take;
    return this.complete();
  }

  /** `add` with its outcome as one result object (tests, fuzzing, callers off the hot path). */
  push(report: Uint8Array): AssemblyResult {
    switch (this.add(report)) {
      case Assembly.MESSAGE:
        return { kind: 'message', cid: this.lastCid, cmd: this.lastCmd, data: this.lastData };
      case Assembly.PARTIAL:
        return { kind: 'partial', cid: this.lastCid };
      case Assembly.IGNORED:
        return { kind: 'ignored', reason: this.lastReason };
      default:
        return { kind: 'error', cid: this.lastCid, code: this.lastCode, reason: this.lastReason };
    }
  }

  private error(cid: number, code: number, reason: string): AssemblyStatus {
    this.lastCid = cid;
    this.lastCode = code;
    this.lastReason = reason;
    return Assembly.ERROR;
  }

  private complete(): AssemblyStatus {
    this.lastCid = this.cid;
    if (this.received < this.expected) return Assembly.PARTIAL;
    this.lastCmd = this.cmd;
    this.lastData = this.message;
    this.reset();
    return Assembly.MESSAGE;
  }
}
