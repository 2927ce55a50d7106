import { decode, encode } from 'cbor2';
import { describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../../src-main/webauthn/canonical-cbor';
import { cborItemEnd, decodeCanonical } from '../../../src-main/webauthn/canonical-cbor-decode';
import { KeyError } from '../../../src-main/webauthn/key-error';
import { seededRng as rng } from '../../support/seeded-rng';

// Our CTAP2 codec is written by hand (see canonical-cbor.ts for why); cbor2 in CDE mode is the
// independent reference it must agree with, byte for byte, in both directions.

const BOUNDARY_INTS = [0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER];
const BIG_INTS = [2n ** 53n, 2n ** 63n, 2n ** 64n - 1n, -(2n ** 64n)];
const TEXTS = [
  '',
  'a',
  'rk',
  'up',
  'alg',
  'sig',
  'x5c',
  'public-key',
  'packed',
  'FIDO_2_0',
  'é',
  '鍵',
  '🔑',
  'x'.repeat(23),
  'y'.repeat(24),
  'z'.repeat(300),
];

function randomValue(r: ReturnType<typeof rng>, depth: number): unknown {
  const kind = r.int(depth >= 3 ? 5 : 8);
  switch (kind) {
    case 0: {
      const n = r.pick(BOUNDARY_INTS) + (r.int(3) - 1) * (r.int(2) ? 1 : 0);
      // `+ 0` turns -0 into 0: cbor2 would write -0 as a float, and CTAP has no floats.
      return (
        Math.max(
          -Number.MAX_SAFE_INTEGER,
          Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, n)) * (r.int(2) ? 1 : -1) - (r.int(4) === 0 ? 1 : 0),
        ) + 0
      );
    }
    case 1:
      return r.pick(TEXTS);
    case 2:
      return Uint8Array.from({ length: r.pick([0, 1, 16, 23, 24, 32, 64, 300]) }, () => r.int(256));
    case 3:
      return r.pick([true, false, null]);
    case 4:
      return r.pick(BIG_INTS);
    case 5:
      return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    case 6: {
      // Integer keys, as CTAP commands and COSE keys use them, inserted in random order.
      const map = new Map<unknown, unknown>();
      for (let i = r.int(8); i > 0; i--) map.set(r.int(40) - 8, randomValue(r, depth + 1));
      return map;
    }
    default: {
      const map = new Map<unknown, unknown>();
      for (let i = r.int(6); i > 0; i--) map.set(r.pick(TEXTS), randomValue(r, depth + 1));
      return map;
    }
  }
}

describe('CTAP2 canonical CBOR against an independent encoder (cbor2, CDE mode)', () => {
  it('encodes 5,000 random CTAP-shaped values to the same bytes as cbor2, and decodes them back to equal values', () => {
    const r = rng(0xc0ffee);
    for (let i = 0; i < 5_000; i++) {
      const value = randomValue(r, 0);
      const ours = encodeCanonical(value);
      const reference = encode(value, { cde: true, rejectUndefined: true });
      expect(ours.toString('hex'), `case ${i}`).toBe(Buffer.from(reference).toString('hex'));
      expect(decodeCanonical(reference), `case ${i}`).toEqual(
        decode(reference, { cde: true, preferMap: true, rejectUndefined: true }),
      );
      expect(cborItemEnd(ours)).toBe(ours.length);
    }
  });

  it('encodes plain objects as text-keyed maps and Buffers as byte strings', () => {
    expect(encodeCanonical({ type: 'public-key', id: Buffer.from([1, 2]) }).toString('hex')).toBe(
      'a262696442010264747970656a7075626c69632d6b6579',
    );
  });

  it.each([
    ['a float', 1.5],
    ['undefined', undefined],
    ['a function', () => 1],
    ['an integer beyond 64 bits', 2n ** 64n],
    [
      'a duplicate key after encoding',
      new Map<unknown, unknown>([
        [1, 'a'],
        [1n, 'b'],
      ]),
    ],
  ])('refuses to encode %s with a typed error', (_name, value) => {
    expect(() => encodeCanonical(value)).toThrow(KeyError);
  });
});
