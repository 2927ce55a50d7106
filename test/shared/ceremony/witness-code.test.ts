import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normaliseWitness, witnessCode, witnessFromSignature } from '../../../src-shared/ceremony/witness-code';
import { WITNESS_WORDS } from '../../../src-shared/ceremony/witness-words';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** A DER ECDSA-Sig-Value from r and s. */
function der(r: bigint, s: bigint): string {
  const int = (v: bigint) => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    let bytes = Buffer.from(hex, 'hex');
    if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]).toString('base64');
}

function parseDer(b64: string): { r: bigint; s: bigint } {
  const d = Buffer.from(b64, 'base64');
  const rLen = d[3]!;
  const r = BigInt(`0x${d.subarray(4, 4 + rLen).toString('hex')}`);
  const sLen = d[5 + rLen]!;
  return { r, s: BigInt(`0x${d.subarray(6 + rLen, 6 + rLen + sLen).toString('hex')}`) };
}

describe('witness code', () => {
  it('has 256 distinct plain words', () => {
    expect(WITNESS_WORDS).toHaveLength(256);
    expect(new Set(WITNESS_WORDS).size).toBe(256);
    for (const w of WITNESS_WORDS) expect(w).toMatch(/^[a-z]{3,8}$/);
  });

  it('format 1: one word per byte of the head hash, plus the seq', () => {
    const h = `00ff10a0${'0'.repeat(56)}`;
    const code = witnessCode({ seq: 7, hash: h });
    expect(code.words).toEqual([WITNESS_WORDS[0], WITNESS_WORDS[255], WITNESS_WORDS[16], WITNESS_WORDS[160]]);
    expect(code.text).toBe(`${code.words.join(' ')} 7`);
    expect(code.from).toBe('head');
    expect(witnessCode({ seq: 3, hash: hash('a') }).text).not.toBe(witnessCode({ seq: 3, hash: hash('b') }).text);
    expect(() => witnessCode({ seq: 1, hash: 'nothex' })).toThrow(/64 lowercase hex/);
  });

  it('from a signature: the words are the first four bytes of r, so a new history needs a new touch', () => {
    const r = BigInt(`0x00ff10a0${'11'.repeat(28)}`);
    const code = witnessFromSignature({ seq: 9, head_hash: hash('h'), signature: der(r, 5n) })!;
    expect(code.words).toEqual([WITNESS_WORDS[0], WITNESS_WORDS[255], WITNESS_WORDS[16], WITNESS_WORDS[160]]);
    expect(code).toMatchObject({ seq: 9, from: 'signature', text: `${code.words.join(' ')} 9` });
  });

  it('is the same for both spellings (s and n - s) of one real signature, and differs between two signatures', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const message = Buffer.from('the head of a ceremony');
    const one = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
    const two = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
    const { r, s } = parseDer(one);
    const head = { seq: 4, head_hash: hash('h') };
    const a = witnessFromSignature({ ...head, signature: one })!;
    expect(witnessFromSignature({ ...head, signature: der(r, P256_N - s) })!.text).toBe(a.text);
    expect(witnessFromSignature({ ...head, signature: two })!.text).not.toBe(a.text);
  });

  it('refuses a signature that is not strict DER', () => {
    const head = { seq: 1, head_hash: hash('h') };
    expect(witnessFromSignature({ ...head, signature: 'not base64!' })).toBeNull();
    expect(witnessFromSignature({ ...head, signature: der(0n, 5n) })).toBeNull();
    expect(witnessFromSignature({ ...head, signature: der(P256_N, 5n) })).toBeNull();
    const padded = Buffer.from(der(5n, 5n), 'base64');
    expect(
      witnessFromSignature({ ...head, signature: Buffer.concat([padded, Buffer.from([0])]).toString('base64') }),
    ).toBeNull();
  });

  it('forgives case and separators in what a founder wrote down', () => {
    expect(normaliseWitness('  Amber-Falcon / river,quartz  12 ')).toBe('amber falcon river quartz 12');
  });
});
