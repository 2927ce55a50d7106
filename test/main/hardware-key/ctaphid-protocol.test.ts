import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseAuthenticatorData } from '../../../src-main/webauthn/authenticator-data';
import { encodeCanonical } from '../../../src-main/webauthn/canonical-cbor';
import { cborItemEnd, decodeCanonical } from '../../../src-main/webauthn/canonical-cbor-decode';
import { coseToPublicKey } from '../../../src-main/webauthn/cose-key';
import { ctapStatusError, getAssertion, getInfo, makeCredential } from '../../../src-main/hardware-key/ctap/ctap2';
import {
  BROADCAST_CID,
  Cmd,
  HidError,
  MAX_MESSAGE,
  REPORT_SIZE,
} from '../../../src-main/hardware-key/transport/ctaphid-constants';
import { CtapHidClient } from '../../../src-main/hardware-key/transport/ctaphid-client';
import { fragment, MessageAssembler } from '../../../src-main/hardware-key/transport/ctaphid-frames';
import { KeyError } from '../../../src-main/webauthn/key-error';
import type { FidoHidTransport } from '../../../src-main/hardware-key/transport/transport';
import { createVirtualAuthenticator } from '../../../src-main/hardware-key/virtual/virtual-authenticator';
import { VIRTUAL_AAGUID_HEX } from '../../../src-main/webauthn/virtual-marks';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('CTAPHID framing', () => {
  it('splits into one init packet of 57 bytes and continuation packets of 59', () => {
    const data = Buffer.alloc(200, 0xab);
    const reports = fragment(0x01020304, Cmd.CBOR, data);
    expect(reports).toHaveLength(4);
    expect(reports.every((r) => r.length === REPORT_SIZE)).toBe(true);
    expect(hex(reports[0]!.subarray(0, 7))).toBe('010203049000c8');
    expect(reports.slice(1).map((r) => r[4])).toEqual([0, 1, 2]);
    expect(fragment(1, Cmd.WINK, Buffer.alloc(0))).toHaveLength(1);
    expect(fragment(1, Cmd.PING, Buffer.alloc(MAX_MESSAGE))).toHaveLength(129);
    expect(() => fragment(1, Cmd.PING, Buffer.alloc(MAX_MESSAGE + 1))).toThrow(RangeError);
  });

  it('reassembles, ignores stray continuations and refuses out-of-sequence packets', () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => i & 0xff));
    const reports = fragment(7, Cmd.PING, data);
    const a = new MessageAssembler();
    expect(a.push(reports[1]!)).toMatchObject({ kind: 'ignored' });
    for (const r of reports.slice(0, -1)) expect(a.push(r).kind).toBe('partial');
    const done = a.push(reports.at(-1)!);
    expect(done.kind === 'message' && done.data.equals(data) && done.cmd === Cmd.PING && done.cid === 7).toBe(true);
    a.push(reports[0]!);
    expect(a.push(reports[2]!)).toMatchObject({ kind: 'error', code: HidError.INVALID_SEQ });
    a.push(reports[0]!);
    expect(a.push(fragment(8, Cmd.PING, Buffer.alloc(1))[0]!)).toMatchObject({
      kind: 'error',
      cid: 8,
      code: HidError.CHANNEL_BUSY,
    });
    expect(a.push(Buffer.alloc(10))).toMatchObject({ kind: 'error', code: HidError.INVALID_LEN });
    const huge = Buffer.alloc(REPORT_SIZE);
    huge[4] = 0x81;
    huge.writeUInt16BE(MAX_MESSAGE + 1, 5);
    expect(new MessageAssembler().push(huge)).toMatchObject({ kind: 'error', code: HidError.INVALID_LEN });
  });
});

describe('canonical CBOR', () => {
  it('encodes CTAP2 canonical form: keys bytewise sorted, byte strings untagged (Buffers too)', () => {
    const bytes = encodeCanonical(
      new Map<unknown, unknown>([
        [3, -7],
        [-1, 1],
        [1, 2],
        [-2, Buffer.from([9])],
      ]),
    );
    expect(hex(bytes)).toBe('a40102032620012141' + '09');
    expect(hex(encodeCanonical({ type: 'public-key', alg: -7 }))).toBe('a263616c672664747970656a7075626c69632d6b6579');
  });

  it.each([
    ['unsorted keys', 'a203010102'],
    ['duplicate keys', 'a201010101'],
    ['non-shortest integer', '1817'],
    ['non-shortest length', '5801ff'],
    ['non-shortest map header', 'b8010101'],
    ['indefinite length', '5f4101ff'],
    ['tag', 'c11a5e0be100'],
    ['float', 'f93c00'],
    ['undefined', 'f7'],
    ['invalid UTF-8', '62c328'],
    ['trailing bytes', '0100'],
    ['truncated', 'a201'],
    ['empty', ''],
  ])('rejects %s', (_name, input) => {
    const error = (() => {
      try {
        decodeCanonical(Buffer.from(input, 'hex'));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).code).toBe('protocol');
  });

  it('finds where an item ends inside a longer buffer (COSE key followed by extensions)', () => {
    const cose = encodeCanonical(
      new Map([
        [1, 2],
        [3, -7],
      ]),
    );
    expect(cborItemEnd(Buffer.concat([cose, Buffer.from('a0', 'hex')]), 0)).toBe(cose.length);
    expect(decodeCanonical(cose)).toEqual(
      new Map([
        [1, 2],
        [3, -7],
      ]),
    );
  });
});

/** A transport that replays a script of reports and records what the client sent. */
function scripted(replies: (sent: Buffer) => Buffer[]): FidoHidTransport & { sent: Buffer[] } {
  const queue: Buffer[] = [];
  const sent: Buffer[] = [];
  return {
    sent,
    async write(report) {
      sent.push(Buffer.from(report));
      queue.push(...replies(report));
    },
    async read() {
      return queue.shift() ?? null;
    },
    async close() {},
  };
}

function initReply(nonce: Buffer, cid: number, caps = 0x05): Buffer {
  const body = Buffer.concat([
    nonce,
    Buffer.from([cid >>> 24, (cid >> 16) & 0xff, (cid >> 8) & 0xff, cid & 0xff]),
    Buffer.from([2, 5, 2, 1, caps]),
  ]);
  return fragment(BROADCAST_CID, Cmd.INIT, body)[0]!;
}

describe('CTAPHID client', () => {
  it('skips INIT answers with a foreign nonce and reads version and capabilities', async () => {
    const transport = scripted((sent) => {
      if (sent[4] !== 0x86) return [];
      const nonce = sent.subarray(7, 15);
      const foreign = Buffer.from(nonce);
      foreign[0]! ^= 1;
      return [
        initReply(foreign, 0x99),
        fragment(0x12345678, Cmd.PING, Buffer.from('other app'))[0]!,
        initReply(Buffer.from(nonce), 0x00220002),
      ];
    });
    const client = await CtapHidClient.open(transport);
    expect(client.info).toEqual({ cid: 0x00220002, protocolVersion: 2, deviceVersion: [5, 2, 1], capabilities: 0x05 });
    expect(client.supportsCbor).toBe(true);
    expect(hex(transport.sent[0]!.subarray(0, 7))).toBe('ffffffff860008');
  });

  it('a key that never answers INIT is a clear protocol error', async () => {
    const error = await CtapHidClient.open(
      scripted(() => []),
      { initTimeoutMs: 50 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'protocol' });
    expect((error as Error).message).toMatch(/did not answer CTAPHID_INIT/);
  });

  it('PING echoes a multi-packet payload, WINK works, and unknown commands map to ERR_INVALID_CMD', async () => {
    const device = createVirtualAuthenticator({ touchDelayMs: 0 });
    const client = await CtapHidClient.open(device.transport());
    const payload = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff));
    expect((await client.ping(payload)).equals(payload)).toBe(true);
    await client.wink();
    const error = await client.call(0x30, Buffer.alloc(0)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'protocol', detail: { hidError: HidError.INVALID_CMD } });
    expect((error as Error).message).toMatch(/ERR_INVALID_CMD/);
    const info = await getInfo(client);
    expect(info).toMatchObject({ aaguid: VIRTUAL_AAGUID_HEX, maxMsgSize: 1200 });
    expect(info.versions).toContain('FIDO_2_0');
    await client.close();
  });

  it('the virtual key refuses non-canonical requests (strict on both sides)', async () => {
    const device = createVirtualAuthenticator({ touchDelayMs: 0 });
    const client = await CtapHidClient.open(device.transport());
    const response = await client.cbor(Buffer.from('02a2020101', 'hex')); // keys out of order
    expect(response[0]).toBe(0x12);
  });

  it('maps CTAP2 status codes to the errors the ceremony acts on', () => {
    const codes: Array<[number, string]> = [
      [0x27, 'not-touched'],
      [0x2f, 'not-touched'],
      [0x3a, 'not-touched'],
      [0x2e, 'wrong-key'],
      [0x2d, 'cancelled'],
      [0x36, 'pin-required'],
      [0x19, 'already-enrolled'],
      [0x26, 'protocol'],
    ];
    for (const [status, code] of codes) expect(ctapStatusError(status, 'signature').code).toBe(code);
  });
});

describe("buffers handed out on the hot path are the caller's to keep", () => {
  it('encodes into fresh buffers, also when an encode runs inside another (a getter)', () => {
    const first = encodeCanonical(
      new Map<number, unknown>([
        [1, 'first'],
        [2, Buffer.alloc(40, 1)],
      ]),
    );
    const copy = Buffer.from(first);
    encodeCanonical(
      new Map<number, unknown>([
        [1, 'second'],
        [2, Buffer.alloc(40, 2)],
      ]),
    );
    expect(first.equals(copy)).toBe(true);
    const inner = encodeCanonical(new Map([[1, 'inner']]));
    const nested = {
      get v() {
        return encodeCanonical(new Map([[1, 'inner']]));
      },
    };
    expect(hex(encodeCanonical(nested))).toBe(hex(encodeCanonical({ v: inner })));
  });

  it('decodes byte strings out of a Buffer as copies, from an offset', () => {
    const message = Buffer.concat([
      Buffer.from([0x00]),
      encodeCanonical(
        new Map<number, unknown>([
          [1, Buffer.from([1, 2, 3])],
          [2, 'id'],
        ]),
      ),
    ]);
    const map = decodeCanonical(message, 1) as Map<number, unknown>;
    const bytes = map.get(1) as Buffer;
    expect(Buffer.isBuffer(bytes)).toBe(true);
    message.fill(0xee);
    expect(hex(bytes)).toBe('010203');
    expect(map.get(2)).toBe('id');
    expect(() => decodeCanonical(message, 1)).toThrow(KeyError);
  });

  it('keeps earlier answers intact, also over a transport that keeps every report it is given', async () => {
    const device = createVirtualAuthenticator({ touchDelayMs: 0 });
    const direct = (): FidoHidTransport => device.transport();
    // A slow transport that sends the buffer only a turn of the event loop after it was given:
    // the client reuses one outgoing report, and must not touch it before the write settles.
    let writes = 0;
    let changedWhilePending = 0;
    const slow = (): FidoHidTransport => {
      const t = device.transport();
      return {
        write: async (r) => {
          const given = r.toString('hex');
          await new Promise((resolve) => setImmediate(resolve));
          writes += 1;
          if (r.toString('hex') !== given) changedWhilePending += 1;
          await t.write(r);
        },
        read: (ms) => t.read(ms),
        close: () => t.close(),
      };
    };
    for (const open of [direct, slow]) {
      const client = await CtapHidClient.open(open());
      const cdh = (n: number) => createHash('sha256').update(`step ${n}`).digest();
      const { authData } = await makeCredential(client, {
        clientDataHash: cdh(0),
        rp: { id: 'breakglass.local' },
        user: { id: Buffer.alloc(16, 1) },
      });
      const { credentialId, cosePublicKey } = parseAuthenticatorData(authData).attested!;
      const first = await getAssertion(client, {
        rpId: 'breakglass.local',
        clientDataHash: cdh(1),
        allowCredentialIds: [credentialId],
      });
      const snapshot = [first.credentialId, first.authData, first.signature].map((b) => hex(b!));
      const second = await getAssertion(client, {
        rpId: 'breakglass.local',
        clientDataHash: cdh(2),
        allowCredentialIds: [credentialId],
      });
      expect([first.credentialId, first.authData, first.signature].map((b) => hex(b!))).toEqual(snapshot);
      expect(hex(first.credentialId!)).toBe(hex(credentialId));
      for (const [answer, n] of [
        [first, 1],
        [second, 2],
      ] as const) {
        expect(
          verify('sha256', Buffer.concat([answer.authData, cdh(n)]), coseToPublicKey(cosePublicKey), answer.signature),
        ).toBe(true);
      }
      await client.close();
    }
    expect(writes).toBeGreaterThan(6);
    expect(changedWhilePending).toBe(0);
  });
});
