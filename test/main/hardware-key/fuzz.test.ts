import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildAssertionAuthData,
  buildAttestedAuthData,
  Flag,
  parseAuthenticatorData,
} from '../../../src-main/webauthn/authenticator-data';
import { encodeCanonical } from '../../../src-main/webauthn/canonical-cbor';
import { cborItemEnd, decodeCanonical } from '../../../src-main/webauthn/canonical-cbor-decode';
import { publicKeyToCose } from '../../../src-main/webauthn/cose-key';
import { Cmd, HidError, MAX_MESSAGE, REPORT_SIZE } from '../../../src-main/hardware-key/transport/ctaphid-constants';
import { fragment, MessageAssembler } from '../../../src-main/hardware-key/transport/ctaphid-frames';
import { CtapHidClient } from '../../../src-main/hardware-key/transport/ctaphid-client';
import { KeyError } from '../../../src-main/webauthn/key-error';
import { parseRegistration } from '../../../src-main/hardware-key/ctap/u2f';
import { verifyAssertion } from '../../../src-main/webauthn/verify-assertion';
import type { EnrolledKey } from '../../../src-shared/journal/types';
import { seededRng as rng } from '../../support/seeded-rng';

function mutate(r: ReturnType<typeof rng>, input: Buffer): Buffer {
  const out = Buffer.from(input);
  const kind = r.int(5);
  if (kind === 0 && out.length > 0) out[r.int(out.length)] = r.int(256);
  if (kind === 1 && out.length > 0) out[r.int(out.length)]! ^= 1 << r.int(8);
  if (kind === 2) return out.subarray(0, r.int(out.length + 1));
  if (kind === 3) return Buffer.concat([out, r.bytes(1 + r.int(8))]);
  if (kind === 4 && out.length > 1) {
    const i = r.int(out.length - 1);
    [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  }
  return out;
}

/** Only our typed error may escape; anything else (TypeError, RangeError from a decoder) is a bug. */
function onlyKeyErrors(fn: () => unknown): 'ok' | 'rejected' {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    return 'rejected';
  }
}

const SEED = 0x5eed1234;
const ITERATIONS = { frames: 40_000, cbor: 60_000, authData: 15_000, u2f: 10_000, client: 3_000, signatures: 3_000 };
/** Inputs each loop really ran, counted as they run (the last test checks them, not the plan). */
const executed: Record<keyof typeof ITERATIONS, number> = {
  frames: 0,
  cbor: 0,
  authData: 0,
  u2f: 0,
  client: 0,
  signatures: 0,
};

function sampleCbor(r: ReturnType<typeof rng>): Buffer[] {
  const cose = publicKeyToCose(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
  return [
    encodeCanonical(
      new Map<unknown, unknown>([
        [1, ['FIDO_2_0', 'U2F_V2']],
        [3, r.bytes(16)],
        [
          4,
          new Map([
            ['rk', false],
            ['up', true],
          ]),
        ],
        [5, 1200],
      ]),
    ),
    encodeCanonical(
      new Map<unknown, unknown>([
        [1, 'packed'],
        [2, r.bytes(160)],
        [
          3,
          new Map<string, unknown>([
            ['alg', -7],
            ['sig', r.bytes(71)],
            ['x5c', [r.bytes(300)]],
          ]),
        ],
      ]),
    ),
    encodeCanonical(
      new Map<unknown, unknown>([
        [
          1,
          new Map<string, unknown>([
            ['id', r.bytes(61)],
            ['type', 'public-key'],
          ]),
        ],
        [2, r.bytes(37)],
        [3, r.bytes(70)],
      ]),
    ),
    cose,
  ];
}

describe('fuzz: framing, CBOR and parsers never crash, hang or mis-assemble', () => {
  it(`frame reassembly (${ITERATIONS.frames} report streams)`, () => {
    const r = rng(SEED);
    let messages = 0;
    for (let i = 0; i < ITERATIONS.frames; i++) {
      executed.frames += 1;
      const cid = r.int(0xffffffff);
      const payload = r.bytes(r.int(i % 50 === 0 ? MAX_MESSAGE + 1 : 400));
      const reports = fragment(cid, 1 + r.int(0x7f), payload);
      const mutated = i % 3 === 0 ? reports : reports.map((rep) => (r.int(4) === 0 ? mutate(r, rep) : rep));
      if (i % 7 === 0) mutated.splice(r.int(mutated.length + 1), 0, r.bytes(REPORT_SIZE));
      const assembler = new MessageAssembler();
      for (const report of mutated) {
        const result = assembler.push(report);
        if (result.kind === 'message') {
          messages++;
          if (result.data.length > MAX_MESSAGE) throw new Error(`seed ${SEED} #${i}: oversized message`);
          // Unmutated streams must come back byte for byte, whatever foreign packet was slipped in.
          if (i % 3 === 0 && result.cid === cid && !result.data.equals(payload))
            throw new Error(`seed ${SEED} #${i}: mis-assembled`);
        } else if (result.kind === 'error') {
          if (
            result.code !== HidError.INVALID_LEN &&
            result.code !== HidError.INVALID_SEQ &&
            result.code !== HidError.CHANNEL_BUSY
          )
            throw new Error(`seed ${SEED} #${i}: odd error ${result.code}`);
        } else if (result.kind !== 'partial' && result.kind !== 'ignored') {
          throw new Error(`seed ${SEED} #${i}: unknown result`);
        }
      }
    }
    expect(messages).toBeGreaterThan(ITERATIONS.frames / 3);
  });

  it(`strict CBOR decoding (${ITERATIONS.cbor} random and mutated inputs)`, () => {
    const r = rng(SEED + 1);
    const samples = sampleCbor(r);
    let accepted = 0;
    for (let i = 0; i < ITERATIONS.cbor; i++) {
      executed.cbor += 1;
      const input = i % 2 === 0 ? mutate(r, samples[r.int(samples.length)]!) : r.bytes(r.int(64));
      const outcome = onlyKeyErrors(() => {
        const value = decodeCanonical(input);
        // Whatever is accepted is canonical: it re-encodes to exactly the same bytes.
        if (!encodeCanonical(value).equals(input))
          throw new Error(`seed ${SEED + 1} #${i}: accepted non-canonical input`);
      });
      if (outcome === 'ok') accepted++;
      onlyKeyErrors(() => cborItemEnd(input, 0));
    }
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(ITERATIONS.cbor);
  });

  it(`authenticatorData parsing (${ITERATIONS.authData} inputs)`, () => {
    const r = rng(SEED + 2);
    const cose = publicKeyToCose(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    const good = buildAttestedAuthData(r.bytes(32), Flag.UP, 7, {
      aaguid: r.bytes(16),
      credentialId: r.bytes(61),
      cosePublicKey: cose,
    });
    for (let i = 0; i < ITERATIONS.authData; i++) {
      executed.authData += 1;
      const input = i % 2 === 0 ? mutate(r, good) : r.bytes(r.int(200));
      onlyKeyErrors(() => parseAuthenticatorData(input));
    }
  });

  it(`U2F registration parsing (${ITERATIONS.u2f} inputs)`, () => {
    const r = rng(SEED + 3);
    const good = Buffer.concat([
      Buffer.from([0x05, 0x04]),
      r.bytes(64),
      Buffer.from([61]),
      r.bytes(61),
      Buffer.from([0x30, 0x81, 0x20]),
      r.bytes(0x20),
      r.bytes(71),
    ]);
    for (let i = 0; i < ITERATIONS.u2f; i++) {
      executed.u2f += 1;
      onlyKeyErrors(() => parseRegistration(i % 2 ? mutate(r, good) : r.bytes(r.int(300))));
    }
  });

  it(`CTAPHID client over a hostile device (${ITERATIONS.client} scripted transactions)`, async () => {
    const r = rng(SEED + 4);
    const cid = 0x01020304;
    for (let i = 0; i < ITERATIONS.client; i++) {
      executed.client += 1;
      const script: Buffer[] = [];
      const answer = fragment(cid, Cmd.CBOR, Buffer.concat([Buffer.from([0]), r.bytes(r.int(200))]));
      for (const report of answer) script.push(r.int(3) === 0 ? mutate(r, report) : report);
      if (r.int(2)) script.unshift(fragment(cid, Cmd.KEEPALIVE, Buffer.from([1 + r.int(2)]))[0]!);
      if (r.int(2)) script.unshift(r.bytes(REPORT_SIZE));
      const init = Buffer.alloc(REPORT_SIZE);
      let nonce: Buffer | null = null;
      const transport = {
        async write(report: Buffer) {
          if (report[4] === 0x86) nonce = Buffer.from(report.subarray(7, 15));
        },
        async read(): Promise<Buffer | null> {
          if (nonce) {
            init.writeUInt32BE(0xffffffff, 0);
            init[4] = 0x86;
            init.writeUInt16BE(17, 5);
            nonce.copy(init, 7);
            init.writeUInt32BE(cid, 15);
            init[19] = 2;
            init[23] = 0x05;
            nonce = null;
            return init;
          }
          const next = script.shift();
          if (next) return next;
          // A device that has nothing more to say goes away; every 100th one just stays silent.
          if (i % 100 === 0) return null;
          throw new Error('could not read data from device');
        },
        async close() {},
      };
      const client = await CtapHidClient.open(transport, { initTimeoutMs: 50, cancelGraceMs: 5 });
      await client.cbor(Buffer.from([0x04]), { timeoutMs: 20 }).then(
        (data) => expect(data.length).toBeLessThanOrEqual(MAX_MESSAGE),
        (error: unknown) => {
          if (!(error instanceof KeyError)) throw error;
        },
      );
    }
  });

  it(`signature checks never accept a mutated assertion (${ITERATIONS.signatures} mutations)`, () => {
    const r = rng(SEED + 5);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rpId = 'breakglass.local';
    const key = {
      credential_id: 'AA',
      rp_id: rpId,
      cose_public_key: publicKeyToCose(publicKey).toString('base64'),
    } as EnrolledKey;
    const cdh = r.bytes(32);
    const authData = buildAssertionAuthData(createHash('sha256').update(rpId).digest(), Flag.UP, 3);
    const sig = sign('sha256', Buffer.concat([authData, cdh]), privateKey);
    expect(
      verifyAssertion(key, {
        authenticator_data: authData.toString('base64'),
        client_data_hash: cdh.toString('hex'),
        signature: sig.toString('base64'),
      }).ok,
    ).toBe(true);
    for (let i = 0; i < ITERATIONS.signatures; i++) {
      executed.signatures += 1;
      const which = r.int(3);
      const a = which === 0 ? mutate(r, authData) : authData;
      const c = which === 1 ? mutate(r, cdh) : cdh;
      const s = which === 2 ? mutate(r, sig) : sig;
      const unchanged = a.equals(authData) && c.equals(cdh) && s.equals(sig);
      const verdict = verifyAssertion(key, {
        authenticator_data: a.toString('base64'),
        client_data_hash: c.toString('hex'),
        signature: s.toString('base64'),
      });
      if (!unchanged) expect(verdict.ok).toBe(false);
    }
  });

  it('counts: at least 100,000 inputs ran through frame reassembly and CBOR decoding alone', () => {
    expect(executed.frames + executed.cbor).toBeGreaterThanOrEqual(100_000);
    expect(executed).toEqual(ITERATIONS);
  });
});
