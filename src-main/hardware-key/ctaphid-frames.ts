import { CONT_DATA, CONT_HEADER, HidError, INIT_DATA, INIT_HEADER, MAX_MESSAGE, MAX_SEQ, REPORT_SIZE, TYPE_INIT } from './ctaphid-constants';

/**
 * Splits one CTAPHID message into 64-byte reports: an init packet (CID, CMD|0x80, BCNT, 57 bytes)
 * then continuation packets (CID, SEQ 0..0x7F, 59 bytes), zero-padded (brief §3.2).
 */
export function fragment(cid: number, cmd: number, data: Uint8Array): Buffer[] {
  if (data.length > MAX_MESSAGE) throw new RangeError(`CTAPHID message of ${data.length} bytes exceeds ${MAX_MESSAGE}`);
  const source = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const count = 1 + Math.ceil(Math.max(0, data.length - INIT_DATA) / CONT_DATA);
  // One zeroed allocation for the whole message, viewed as reports: one backing store per
  // message rather than per report keeps the garbage collector's work per transaction small.
  const all = Buffer.alloc(count * REPORT_SIZE);
  const first = all.subarray(0, REPORT_SIZE);
  first.writeUInt32BE(cid >>> 0, 0);
  first[4] = TYPE_INIT | (cmd & 0x7f);
  first.writeUInt16BE(data.length, 5);
  let offset = source.copy(first, INIT_HEADER, 0, Math.min(data.length, INIT_DATA));
  const reports = [first];
  for (let seq = 0; offset < data.length; seq++) {
    const report = all.subarray((seq + 1) * REPORT_SIZE, (seq + 2) * REPORT_SIZE);
    report.writeUInt32BE(cid >>> 0, 0);
    report[4] = seq;
    const end = Math.min(data.length, offset + CONT_DATA);
    source.copy(report, CONT_HEADER, offset, end);
    offset = end;
    reports.push(report);
  }
  return reports;
}

const EMPTY = Buffer.alloc(0);

export type AssemblyResult =
  /** A complete message. */
  | { kind: 'message'; cid: number; cmd: number; data: Buffer }
  /** More packets are needed for the message in progress. */
  | { kind: 'partial'; cid: number }
  /** A packet that belongs to no message (stray continuation, other channel): skipped. */
  | { kind: 'ignored'; reason: string }
  /** A framing error; `code` is the CTAPHID error a device would answer with. */
  | { kind: 'error'; cid: number; code: number; reason: string };

/**
 * Reassembles CTAPHID messages from 64-byte reports, one message at a time. It never throws:
 * every odd input is a result, so both the client and the virtual device can decide what a
 * malformed packet means for them.
 */
export class MessageAssembler {
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

  push(report: Uint8Array): AssemblyResult {
    if (report.length !== REPORT_SIZE) {
      return { kind: 'error', cid: report.length >= 4 ? Buffer.from(report).readUInt32BE(0) : 0, code: HidError.INVALID_LEN, reason: `report of ${report.length} bytes, expected ${REPORT_SIZE}` };
    }
    const buf = Buffer.from(report.buffer, report.byteOffset, report.byteLength);
    const cid = buf.readUInt32BE(0);
    const type = buf[4]!;
    if (type & TYPE_INIT) {
      // One transaction at a time: another channel's init packet must not clobber a half-received message.
      if (this.active && cid !== this.cid) {
        return { kind: 'error', cid, code: HidError.CHANNEL_BUSY, reason: `channel 0x${this.cid.toString(16)} is mid-message` };
      }
      const length = buf.readUInt16BE(5);
      if (length > this.maxMessage) {
        this.reset();
        return { kind: 'error', cid, code: HidError.INVALID_LEN, reason: `announced length ${length} exceeds ${this.maxMessage}` };
      }
      this.cid = cid;
      this.cmd = type & 0x7f;
      this.expected = length;
      this.nextSeq = 0;
      const take = Math.min(length, INIT_DATA);
      this.message = Buffer.allocUnsafe(length);
      buf.copy(this.message, 0, INIT_HEADER, INIT_HEADER + take);
      this.received = take;
      this.active = true;
      return this.complete();
    }
    if (!this.active || cid !== this.cid) return { kind: 'ignored', reason: 'continuation packet without an init packet on this channel' };
    if (type !== this.nextSeq || type > MAX_SEQ) {
      const expectedSeq = this.nextSeq;
      this.reset();
      return { kind: 'error', cid, code: HidError.INVALID_SEQ, reason: `continuation SEQ ${type}, expected ${expectedSeq}` };
    }
    this.nextSeq++;
    const take = Math.min(this.expected - this.received, CONT_DATA);
    buf.copy(this.message, this.received, CONT_HEADER, CONT_HEADER + take);
    this.received += take;
    return this.complete();
  }

  private complete(): AssemblyResult {
    if (this.received < this.expected) return { kind: 'partial', cid: this.cid };
    const message = { kind: 'message' as const, cid: this.cid, cmd: this.cmd, data: this.message };
    this.reset();
    return message;
  }
}
