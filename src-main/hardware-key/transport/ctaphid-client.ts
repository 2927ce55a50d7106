import { randomBytes } from 'node:crypto';
import {
  BROADCAST_CID,
  Capability,
  Cmd,
  CTAPHID_PROTOCOL_VERSION,
  HidError,
  hidErrorText,
  INIT_HEADER,
  REPORT_SIZE,
  TYPE_INIT,
} from './ctaphid-constants';
import { Assembly, checkMessageLength, fragment, MessageAssembler, reportCount, writeReport } from './ctaphid-frames';
import { delay, systemClock, type KeyClock } from '../key-clock';
import { KeyError } from '../../webauthn/key-error';
import type { FidoHidTransport } from './transport';

export interface InitInfo {
  cid: number;
  protocolVersion: number;
  /** major.minor.build from the INIT response; the firmware version on YubiKey 4/5 (brief §6.1). */
  deviceVersion: [number, number, number];
  capabilities: number;
}

export interface CallOptions {
  /** Host deadline for the whole transaction; on expiry the client sends CANCEL. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each KEEPALIVE, with the transaction's deadline on the client's clock (when the host will CANCEL). */
  onKeepalive?: (status: number, deadline: number) => void;
}

export interface CtapHidClientOptions {
  clock?: KeyClock;
  initTimeoutMs?: number;
  /** How long to wait for the answer to our CANCEL before giving up on it. Default 1.5 s. */
  cancelGraceMs?: number;
  /** How long INIT keeps retrying a key that answers ERR_CHANNEL_BUSY. Default 10 s. */
  busyTimeoutMs?: number;
}

const READ_SLICE_MS = 100;
const BUSY_RETRY_MS = 100;
/** How long to wait for the device's answer to CANCEL before giving up on it. */
const CANCEL_GRACE_MS = 1500;
const DEFAULT_TIMEOUT_MS = 30_000;
/** The default call options, shared so a call without options allocates none. */
export const NO_OPTIONS: CallOptions = Object.freeze({});

function unplugged(error: unknown): KeyError {
  return new KeyError(
    'unplugged',
    `The key was unplugged or stopped answering (${(error as Error)?.message ?? String(error)}). Plug it in again and retry the step.`,
    { cause: error },
  );
}

/**
 * CTAPHID client (brief §3): channel allocation, framing, keepalives, cancel and busy retry over
 * any FidoHidTransport. One transaction at a time per client.
 */
export class CtapHidClient {
  private inFlight = false;
  /**
   * A transaction's packets are written one at a time into this report, each after the previous
   * write has resolved: a transport must not keep the buffer past its write (FidoHidTransport).
   */
  private readonly outgoing = Buffer.alloc(REPORT_SIZE);
  /** Reset at the start of every attempt; the messages it hands out are fresh buffers. */
  private readonly assembler = new MessageAssembler();

  private constructor(
    private readonly transport: FidoHidTransport,
    readonly info: InitInfo,
    private readonly clock: KeyClock,
    private readonly cancelGraceMs: number,
  ) {}

  /** Allocates a channel with CTAPHID_INIT on the broadcast CID; answers to other nonces are skipped. */
  static async open(transport: FidoHidTransport, options: CtapHidClientOptions = {}): Promise<CtapHidClient> {
    const clock = options.clock ?? systemClock;
    const nonce = randomBytes(8);
    await writeAll(transport, fragment(BROADCAST_CID, Cmd.INIT, nonce));
    const start = clock.now();
    let deadline = start + (options.initTimeoutMs ?? 2000);
    let busy = false;
    for (;;) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) {
        if (busy)
          throw new KeyError(
            'busy',
            'The key is busy with another application (a browser or another tool) and kept refusing a channel. Close that application and retry.',
            { hidError: HidError.CHANNEL_BUSY },
          );
        throw new KeyError('protocol', 'The key did not answer CTAPHID_INIT. Unplug it, plug it in again and retry.');
      }
      const report = await readOne(transport, Math.min(READ_SLICE_MS, remaining));
      if (!report || report.length !== REPORT_SIZE) continue;
      // Another application's transaction holds the key: wait and ask again rather than call it dead.
      if (
        report.readUInt32BE(0) === BROADCAST_CID &&
        report[4] === (TYPE_INIT | Cmd.ERROR) &&
        report[INIT_HEADER] === HidError.CHANNEL_BUSY
      ) {
        busy = true;
        deadline = Math.max(deadline, start + (options.busyTimeoutMs ?? 10_000));
        await delay(clock, BUSY_RETRY_MS);
        await writeAll(transport, fragment(BROADCAST_CID, Cmd.INIT, nonce));
        continue;
      }
      if (report.readUInt32BE(0) !== BROADCAST_CID || report[4] !== (TYPE_INIT | Cmd.INIT)) continue;
      const length = report.readUInt16BE(5);
      const body = report.subarray(INIT_HEADER, INIT_HEADER + Math.min(length, REPORT_SIZE - INIT_HEADER));
      // Another application may be running INIT at the same moment: its answer is not ours.
      if (length < 17 || !body.subarray(0, 8).equals(nonce)) continue;
      const cid = body.readUInt32BE(8);
      if (cid === 0 || cid === BROADCAST_CID)
        throw new KeyError('protocol', `The key allocated an invalid channel 0x${cid.toString(16)}.`);
      const info: InitInfo = {
        cid,
        protocolVersion: body[12]!,
        deviceVersion: [body[13]!, body[14]!, body[15]!],
        capabilities: body[16]!,
      };
      if (info.protocolVersion !== CTAPHID_PROTOCOL_VERSION) {
        throw new KeyError(
          'protocol',
          `The key speaks CTAPHID version ${info.protocolVersion}, expected ${CTAPHID_PROTOCOL_VERSION}.`,
        );
      }
      return new CtapHidClient(transport, info, clock, options.cancelGraceMs ?? CANCEL_GRACE_MS);
    }
  }

  get supportsCbor(): boolean {
    return (this.info.capabilities & Capability.CBOR) !== 0;
  }

  get supportsMsg(): boolean {
    return (this.info.capabilities & Capability.NMSG) === 0;
  }

  // ping, msg and cbor hand back call's own promise: an async wrapper would add a promise per call.
  ping(data: Uint8Array, options: CallOptions = NO_OPTIONS): Promise<Buffer> {
    return this.call(Cmd.PING, data, options);
  }

  async wink(options: CallOptions = NO_OPTIONS): Promise<void> {
    if (!(this.info.capabilities & Capability.WINK)) throw new KeyError('protocol', 'This key cannot wink.');
    await this.call(Cmd.WINK, new Uint8Array(0), options);
  }

  msg(apdu: Uint8Array, options: CallOptions = NO_OPTIONS): Promise<Buffer> {
    return this.call(Cmd.MSG, apdu, options);
  }

  cbor(request: Uint8Array, options: CallOptions = NO_OPTIONS): Promise<Buffer> {
    return this.call(Cmd.CBOR, request, options);
  }

  /** CANCEL has no answer of its own (brief §3.4); the pending request answers 0x2D. */
  async cancel(): Promise<void> {
    await writeAll(this.transport, fragment(this.info.cid, Cmd.CANCEL, new Uint8Array(0)));
  }

  async close(): Promise<void> {
    try {
      await this.transport.close();
    } catch {
      // Closing a device that is already gone is not an error worth reporting.
    }
  }

  /** One CTAPHID transaction: send, then read until the answer, skipping keepalives and foreign channels. */
  call(cmd: number, data: Uint8Array, options: CallOptions = NO_OPTIONS): Promise<Buffer> {
    if (this.inFlight) return Promise.reject(new KeyError('busy', 'Another request to this key is still running.'));
    this.inFlight = true;
    return this.transact(cmd, data, options);
  }

  /** The body of call(): one async function for the whole transaction; clears inFlight when done. */
  private async transact(cmd: number, data: Uint8Array, options: CallOptions): Promise<Buffer> {
    try {
      const deadline = this.clock.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const cid = this.info.cid;
      const assembler = this.assembler;
      const transport = this.transport;
      for (;;) {
        if (options.signal?.aborted) throw new KeyError('cancelled', 'The operation was cancelled.');
        checkMessageLength(data.length);
        // Reports of one message go back to back: devices time out gaps between packets.
        for (let index = 0, count = reportCount(data.length); index < count; index++) {
          writeReport(this.outgoing, cid, cmd, data, index);
          try {
            await transport.write(this.outgoing);
          } catch (error) {
            throw unplugged(error);
          }
        }
        assembler.reset();
        let cancelledBy: 'abort' | 'deadline' | null = null;
        let graceUntil = 0;
        let retryBusy = false;
        for (;;) {
          const now = this.clock.now();
          if (!cancelledBy && (options.signal?.aborted || now >= deadline)) {
            cancelledBy = options.signal?.aborted ? 'abort' : 'deadline';
            graceUntil = now + this.cancelGraceMs;
            await this.cancel();
          }
          if (cancelledBy && now >= graceUntil) throw this.cancelError(cancelledBy);
          const until = cancelledBy ? graceUntil : deadline;
          let report: Buffer | null;
          try {
            report = await transport.read(Math.max(1, Math.min(READ_SLICE_MS, until - now)));
          } catch (error) {
            throw unplugged(error);
          }
          if (!report) continue;
          if (report.length !== REPORT_SIZE)
            throw new KeyError('protocol', `The key sent a ${report.length}-byte report, expected ${REPORT_SIZE}.`);
          if (report.readUInt32BE(0) !== cid) continue;
          const type = report[4]!;
          if (type === (TYPE_INIT | Cmd.KEEPALIVE)) {
            options.onKeepalive?.(report[INIT_HEADER]!, deadline);
            continue;
          }
          if (type === (TYPE_INIT | Cmd.ERROR)) {
            const code = report[INIT_HEADER]!;
            if (code === HidError.CHANNEL_BUSY && !cancelledBy) {
              retryBusy = true;
              break;
            }
            throw new KeyError(
              code === HidError.CHANNEL_BUSY ? 'busy' : 'protocol',
              `The key reported a transport error: ${hidErrorText(code)}.`,
              { hidError: code },
            );
          }
          if (type & TYPE_INIT && type !== (TYPE_INIT | cmd)) {
            throw new KeyError(
              'protocol',
              `The key answered command 0x${(type & 0x7f).toString(16)} to a request 0x${cmd.toString(16)}.`,
            );
          }
          const status = assembler.add(report);
          if (status === Assembly.ERROR)
            throw new KeyError('protocol', `The key sent a broken message: ${assembler.lastReason}.`, {
              hidError: assembler.lastCode,
            });
          if (status !== Assembly.MESSAGE) continue;
          const message = assembler.lastData;
          if (cancelledBy === 'abort') throw this.cancelError('abort');
          // Our own CANCEL on the deadline comes back as KEEPALIVE_CANCEL: that means "not touched".
          if (cancelledBy === 'deadline' && cmd === Cmd.CBOR && message[0] === 0x2d) throw this.cancelError('deadline');
          return message;
        }
        if (retryBusy) {
          if (this.clock.now() + BUSY_RETRY_MS >= deadline) {
            throw new KeyError(
              'busy',
              'The key is busy with another application (a browser or another tool). Close it and retry.',
              { hidError: HidError.CHANNEL_BUSY },
            );
          }
          await delay(this.clock, BUSY_RETRY_MS);
        }
      }
    } finally {
      this.inFlight = false;
    }
  }

  private cancelError(by: 'abort' | 'deadline'): KeyError {
    return by === 'abort'
      ? new KeyError('cancelled', 'The operation was cancelled.')
      : new KeyError('not-touched', 'The key was not touched in time. Nothing was signed; retry when ready.');
  }
}

/** INIT and CANCEL (not per transaction): fresh reports, written back to back. */
async function writeAll(transport: FidoHidTransport, reports: Buffer[]): Promise<void> {
  for (const report of reports) {
    try {
      await transport.write(report);
    } catch (error) {
      throw unplugged(error);
    }
  }
}

async function readOne(transport: FidoHidTransport, timeoutMs: number): Promise<Buffer | null> {
  try {
    return await transport.read(timeoutMs);
  } catch (error) {
    throw unplugged(error);
  }
}
