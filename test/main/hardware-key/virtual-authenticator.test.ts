import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAuthenticatorData } from '../../../src-main/webauthn/authenticator-data';
import { encodeCanonical } from '../../../src-main/webauthn/canonical-cbor';
import { decodeCanonical } from '../../../src-main/webauthn/canonical-cbor-decode';
import { coseToPublicKey } from '../../../src-main/webauthn/cose-key';
import {
  BROADCAST_CID,
  Cmd,
  HidError,
  KeepaliveStatus,
} from '../../../src-main/hardware-key/transport/ctaphid-constants';
import { fragment, MessageAssembler } from '../../../src-main/hardware-key/transport/ctaphid-frames';
import type { KeyClock } from '../../../src-main/hardware-key/key-clock';
import type { FidoHidTransport } from '../../../src-main/hardware-key/transport/transport';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';

/** A clock that only moves when told to: timing behaviour without wall-clock assertions. */
function manualClock() {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const clock: KeyClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = next++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
  };
  const advance = (ms: number): void => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = until;
  };
  tick = advance;
  return { clock, advance };
}

let tick: (ms: number) => void = () => {};

/** Everything the device has sent so far; an empty read resolves by letting the manual clock tick 0 ms. */
async function drain(transport: FidoHidTransport): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (;;) {
    const pending = transport.read(0);
    tick(0);
    const report = await pending;
    if (!report) return out;
    out.push(report);
  }
}

async function allocate(transport: FidoHidTransport): Promise<number> {
  await transport.write(fragment(BROADCAST_CID, Cmd.INIT, Buffer.alloc(8, 1))[0]!);
  const [reply] = await drain(transport);
  return reply!.readUInt32BE(15);
}

const header = (r: Buffer) => ({ cid: r.readUInt32BE(0), cmd: r[4]! & 0x7f, byte7: r[7] });

async function sendCbor(transport: FidoHidTransport, cid: number, command: number, params: Map<number, unknown>) {
  for (const report of fragment(cid, Cmd.CBOR, Buffer.concat([Buffer.from([command]), encodeCanonical(params)])))
    await transport.write(report);
}

/** Reassembles the CBOR answer on `cid` from the reports drained so far. */
function cborAnswer(reports: Buffer[], cid: number): Buffer {
  const assembler = new MessageAssembler();
  for (const report of reports) {
    if (report.readUInt32BE(0) !== cid || report[4] === (0x80 | Cmd.KEEPALIVE)) continue;
    const result = assembler.push(report);
    if (result.kind === 'message') return result.data;
  }
  throw new Error('no complete answer');
}

async function enrolled(transport: FidoHidTransport, cid: number, advance: (ms: number) => void) {
  await sendCbor(
    transport,
    cid,
    0x01,
    new Map<number, unknown>([
      [1, Buffer.alloc(32)],
      [2, { id: 'rp' }],
      [3, { id: Buffer.alloc(4) }],
      [4, [{ alg: -7, type: 'public-key' }]],
    ]),
  );
  advance(10);
  const answer = cborAnswer(await drain(transport), cid);
  expect(answer[0]).toBe(0);
  const map = decodeCanonical(answer.subarray(1)) as Map<number, unknown>;
  return parseAuthenticatorData(map.get(2) as Uint8Array).attested!;
}

describe('virtual authenticator (device side of CTAPHID)', () => {
  it('sends KEEPALIVE(UPNEEDED) at least every 100 ms while waiting, then times out with 0x27', async () => {
    const { clock, advance } = manualClock();
    const device = createVirtualAuthenticator({
      touchDelayMs: 5,
      touchTimeoutMs: 1000,
      keepaliveIntervalMs: 500,
      clock,
    });
    const transport = device.transport();
    const cid = await allocate(transport);
    const { credentialId } = await enrolled(transport, cid, advance);
    device.setFault({ noTouch: true });
    await sendCbor(
      transport,
      cid,
      0x02,
      new Map<number, unknown>([
        [1, 'rp'],
        [2, Buffer.alloc(32)],
        [3, [{ id: credentialId, type: 'public-key' }]],
      ]),
    );
    advance(999);
    const waiting = await drain(transport);
    expect(waiting.length).toBeGreaterThanOrEqual(10);
    expect(waiting.every((r) => header(r).cmd === Cmd.KEEPALIVE && header(r).byte7 === KeepaliveStatus.UPNEEDED)).toBe(
      true,
    );
    advance(1);
    const [timeout] = await drain(transport);
    expect(header(timeout!)).toMatchObject({ cid, cmd: Cmd.CBOR, byte7: 0x27 });
  });

  it('answers another channel ERR_CHANNEL_BUSY while waiting for a touch, and CANCEL ends the wait with 0x2D', async () => {
    const { clock, advance } = manualClock();
    const device = createVirtualAuthenticator({ touchDelayMs: null, clock });
    const a = device.transport();
    const b = device.transport();
    const cidA = await allocate(a);
    await drain(b);
    const cidB = await allocate(b);
    await drain(a);
    expect(cidB).not.toBe(cidA);
    await sendCbor(
      a,
      cidA,
      0x01,
      new Map<number, unknown>([
        [1, Buffer.alloc(32)],
        [2, { id: 'rp' }],
        [3, { id: Buffer.alloc(4) }],
        [4, [{ alg: -7, type: 'public-key' }]],
      ]),
    );
    advance(50);
    await drain(b);
    await b.write(fragment(cidB, Cmd.PING, Buffer.from('hi'))[0]!);
    const busy = (await drain(b)).find((r) => header(r).cid === cidB)!;
    expect(header(busy)).toMatchObject({ cmd: Cmd.ERROR, byte7: HidError.CHANNEL_BUSY });
    await drain(a);
    await a.write(fragment(cidA, Cmd.CANCEL, Buffer.alloc(0))[0]!);
    const cancelled = (await drain(a)).filter((r) => header(r).cmd === Cmd.CBOR);
    expect(cancelled.map((r) => r[7])).toEqual([0x2d]);
    // CANCEL itself gets no answer, and the channel is free again.
    await b.write(fragment(cidB, Cmd.PING, Buffer.from('hi'))[0]!);
    expect((await drain(b)).map(header)).toContainEqual({ cid: cidB, cmd: Cmd.PING, byte7: 'h'.charCodeAt(0) });
  });

  it('follows the channel rules: broadcast only for INIT, unknown channels refused, stalled messages time out', async () => {
    const { clock, advance } = manualClock();
    const device = createVirtualAuthenticator({ clock });
    const t = device.transport();
    await t.write(fragment(BROADCAST_CID, Cmd.PING, Buffer.from('x'))[0]!);
    expect(header((await drain(t))[0]!)).toMatchObject({
      cid: BROADCAST_CID,
      cmd: Cmd.ERROR,
      byte7: HidError.INVALID_CHANNEL,
    });
    await t.write(fragment(0x0badcafe, Cmd.PING, Buffer.from('x'))[0]!);
    expect(header((await drain(t))[0]!)).toMatchObject({ cmd: Cmd.ERROR, byte7: HidError.INVALID_CHANNEL });
    const cid = await allocate(t);
    const [first] = fragment(cid, Cmd.PING, Buffer.alloc(100));
    await t.write(first!);
    advance(499);
    expect(await drain(t)).toEqual([]);
    advance(1);
    expect(header((await drain(t))[0]!)).toMatchObject({ cid, cmd: Cmd.ERROR, byte7: HidError.MSG_TIMEOUT });
    const out = fragment(cid, Cmd.PING, Buffer.alloc(100));
    out[1]![4] = 3;
    await t.write(out[0]!);
    await t.write(out[1]!);
    expect(header((await drain(t))[0]!)).toMatchObject({ cmd: Cmd.ERROR, byte7: HidError.INVALID_SEQ });
    await t.write(fragment(cid, 0x30, Buffer.alloc(0))[0]!);
    expect(header((await drain(t))[0]!)).toMatchObject({ cmd: Cmd.ERROR, byte7: HidError.INVALID_CMD });
  });

  it('signs with a real P-256 key and a global counter; the signature covers authData ‖ clientDataHash', async () => {
    const { clock, advance } = manualClock();
    const device = createVirtualAuthenticator({ touchDelayMs: 0, clock });
    const t = device.transport();
    const cid = await allocate(t);
    const credential = await enrolled(t, cid, advance);
    const cdh = createHash('sha256').update('step').digest();
    await sendCbor(
      t,
      cid,
      0x02,
      new Map<number, unknown>([
        [1, 'rp'],
        [2, cdh],
        [3, [{ id: credential.credentialId, type: 'public-key' }]],
      ]),
    );
    const answer = cborAnswer(await drain(t), cid);
    const map = decodeCanonical(answer.subarray(1)) as Map<number, unknown>;
    const authData = Buffer.from(map.get(2) as Uint8Array);
    expect(parseAuthenticatorData(authData)).toMatchObject({ userPresent: true, signCount: 2 });
    expect(device.signCount).toBe(2);
    expect(
      verify(
        'sha256',
        Buffer.concat([authData, cdh]),
        coseToPublicKey(credential.cosePublicKey),
        Buffer.from(map.get(3) as Uint8Array),
      ),
    ).toBe(true);
  });

  it('times a stalled message out 500 ms after its latest packet, not its first', async () => {
    const { clock, advance } = manualClock();
    const device = createVirtualAuthenticator({ clock });
    const t = device.transport();
    const cid = await allocate(t);
    const reports = fragment(cid, Cmd.PING, Buffer.alloc(200, 7));
    await t.write(reports[0]!);
    advance(300);
    await t.write(reports[1]!);
    advance(499);
    expect(await drain(t)).toEqual([]);
    advance(1);
    expect((await drain(t)).map(header)).toEqual([{ cid, cmd: Cmd.ERROR, byte7: HidError.MSG_TIMEOUT }]);
    // The half message is gone: a whole one goes through, and no timer is left to fire later.
    for (const report of reports) await t.write(report);
    advance(1000);
    const replies = await drain(t);
    expect(replies.map(header)).toEqual([0, 1, 2, 3].map((i) => ({ cid, cmd: i === 0 ? Cmd.PING : i - 1, byte7: 7 })));
  });

  it('gives every open handle its own copy of each report', async () => {
    const { clock } = manualClock();
    const device = createVirtualAuthenticator({ clock });
    const a = device.transport();
    const b = device.transport();
    await a.write(fragment(BROADCAST_CID, Cmd.INIT, Buffer.alloc(8, 1))[0]!);
    const [fromA] = await drain(a);
    const [fromB] = await drain(b);
    expect(fromA).not.toBe(fromB);
    expect(fromA!.equals(fromB!)).toBe(true);
    const before = Buffer.from(fromB!);
    fromA!.fill(0);
    expect(fromB!.equals(before)).toBe(true);
  });
});
