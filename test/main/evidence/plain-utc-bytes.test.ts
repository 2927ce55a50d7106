import { describe, expect, it } from 'vitest';
import { PlainUtcBytes } from '../../../src-main/evidence/plain-utc-bytes';
import { PLAIN_UTC } from '../../../src-shared/ceremony/action-logged-payload';
import { seededRng } from '../../support/seeded-rng';

/*
 * The times the line reader reads from a file's bytes (plain-utc-bytes.ts) stand in for the rules'
 * own reading of recorded_at: each must be Date.parse of the same text when PLAIN_UTC matches it,
 * and NaN (read the text) otherwise, whatever byte is where, and whichever day came before.
 */

/** What the reader must say of a 24-byte ASCII time: Date.parse when PLAIN_UTC matches, else NaN. */
const expected = (s: string) => (PLAIN_UTC.test(s) ? Date.parse(s) : NaN);

function readBytes(reader: PlainUtcBytes, s: string): number {
  const b = Buffer.from(s, 'latin1');
  const w = (i: number) => b.readInt32LE(4 * i);
  return reader.read(w(0), w(1), w(2), w(3), w(4), w(5), s);
}

const BASE = [
  '2026-11-20T08:10:00.500Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-28T23:59:59.999Z',
  '1970-01-01T00:00:00.000Z',
];

describe('times read from the bytes', () => {
  it('every ASCII byte in every place of a time: Date.parse when PLAIN_UTC, else NaN', () => {
    const reader = new PlainUtcBytes();
    let read = 0;
    for (const base of BASE)
      for (let at = 0; at < 24; at++)
        for (let c = 0; c < 0x80; c++) {
          const s = `${base.slice(0, at)}${String.fromCharCode(c)}${base.slice(at + 1)}`;
          const ms = readBytes(reader, s);
          expect(Object.is(ms, expected(s)), `${JSON.stringify(s)}: ${ms}`).toBe(true);
          if (!Number.isNaN(ms)) read += 1;
        }
    // Digits in digit places are read; everything else, and days past the 28th, is not.
    expect(read).toBeGreaterThan(4 * 17 * 5);
  });

  it('every field at and beyond its range, in days that change in any order', () => {
    const rng = seededRng(0x7173);
    const reader = new PlainUtcBytes();
    const two = (n: number) => String(n).padStart(2, '0');
    let read = 0;
    for (let c = 0; c < 20_000; c++) {
      const s =
        `${String(rng.int(10_000)).padStart(4, '0')}-${two(rng.int(14))}-${two(rng.int(32))}` +
        `T${two(rng.int(25))}:${two(rng.int(61))}:${two(rng.int(61))}.${String(rng.int(1000)).padStart(3, '0')}Z`;
      const ms = readBytes(reader, s);
      expect(Object.is(ms, expected(s)), `${s}: ${ms}`).toBe(true);
      if (!Number.isNaN(ms)) read += 1;
    }
    expect(read).toBeGreaterThan(5000);
  });

  it('the same day again after other days: its own midnight, not the last one read', () => {
    const reader = new PlainUtcBytes();
    for (const s of [
      '2026-11-20T08:10:00.500Z',
      '2026-11-21T08:10:00.500Z',
      '2026-11-20T23:59:59.999Z',
      '2026-11-29T08:10:00.500Z',
      '2026-11-20T00:00:00.000Z',
    ])
      expect(Object.is(readBytes(reader, s), expected(s)), s).toBe(true);
  });
});
