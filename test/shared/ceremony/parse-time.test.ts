import { describe, expect, it } from 'vitest';
import { PLAIN_UTC } from '../../../src-shared/ceremony/action-logged-payload';
import { codeUnitsBefore } from '../../../src-shared/ceremony/history-times';
import { earlierThan, parseTime, TimeReader } from '../../../src-shared/ceremony/parse-time';
import { seededRng } from '../../support/seeded-rng';

/* The rules read times with parseTime: it must be Date.parse on every text, valid or not. */

describe('parseTime', () => {
  it('equals Date.parse on random times, out-of-range fields and other spellings included', () => {
    const rng = seededRng(0x7193);
    const two = () => String(rng.int(rng.int(4) === 0 ? 100 : 62)).padStart(2, '0');
    const fixed = [
      '2026-11-20T08:10:00.500Z',
      '2026-02-29T08:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2026-02-30T00:00:00.000Z',
      '2026-04-31T08:00:00.000Z',
      '2026-13-01T08:00:00.000Z',
      '2026-00-10T08:00:00.000Z',
      '2026-11-00T08:00:00.000Z',
      '2026-11-20T24:00:00.000Z',
      '2026-11-20T08:60:00.000Z',
      '2026-11-20T08:10:60.000Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2026-11-20T08:10:00.500z',
      '2026-11-20 08:10:00.500Z',
      '2026-11-20T08:10:00.50ZZ',
      '2026-11-2xT08:10:00.500Z',
      '+02026-11-20T08:10:00.5Z',
      '2026-11-20T08:10:00Z',
      '',
      'yesterday',
    ];
    for (const t of fixed) expect(parseTime(t), t).toBe(Date.parse(t));
    for (let c = 0; c < 20_000; c++) {
      const t =
        `${String(rng.int(10_000)).padStart(4, '0')}-${two()}-${two()}T${two()}:${two()}:${two()}.` +
        `${String(rng.int(1000)).padStart(3, '0')}Z`;
      // Consecutive texts often share a day, as a ceremony's do, and sometimes not.
      expect(parseTime(t), t).toBe(Date.parse(t));
      const sameDay = `${t.slice(0, 11)}${two()}:${two()}:${two()}.${String(rng.int(1000)).padStart(3, '0')}Z`;
      expect(parseTime(sameDay), sameDay).toBe(Date.parse(sameDay));
    }
  });
});

describe('TimeReader', () => {
  /** A time of the plain shape whose every character may be off: out-of-range fields, non-ASCII and lone surrogates included. */
  const ODD = ['0', '9', '1', '2', '3', '5', '6', '٠', '０', '\ud800', 'é', 'a', ':', '-', ' '];
  const hostile = (rng: ReturnType<typeof seededRng>) => {
    const plain = `${String(rng.int(3) === 0 ? rng.int(10_000) : 2026).padStart(4, '0')}-${String(rng.int(14)).padStart(2, '0')}-${String(rng.int(32)).padStart(2, '0')}T${String(rng.int(25)).padStart(2, '0')}:${String(rng.int(61)).padStart(2, '0')}:${String(rng.int(61)).padStart(2, '0')}.${String(rng.int(1000)).padStart(3, '0')}Z`;
    const chars = [...plain];
    for (let k = rng.int(4) === 0 ? 1 + rng.int(2) : 0; k > 0; k--) chars[rng.int(chars.length)] = rng.pick(ODD);
    const s = chars.join('');
    switch (rng.int(10)) {
      case 0:
        return s.slice(0, -1);
      case 1:
        return `${s}Z`;
      case 2:
        return s.replace('.', ',');
      default:
        return s;
    }
  };

  it('orders two times as < does when both were plain, says which match PLAIN_UTC, and parses as Date.parse', () => {
    const rng = seededRng(0x71e5);
    const reader = new TimeReader();
    let plainPairs = 0;
    for (let c = 0; c < 20_000; c++) {
      const a0 = hostile(rng);
      // Often the same day or the same time as the other, as consecutive entries are.
      const b0 = [
        () => `${a0.slice(0, 11)}${hostile(rng).slice(11)}`,
        () => `${a0.slice(0, 20)}${hostile(rng).slice(20)}`,
        () => a0,
        () => hostile(rng),
        () => hostile(rng),
      ][rng.int(5)]!();
      // Slices of a longer text, as the verifier's strings are.
      const text = `{${a0}|${b0}}`;
      const a = text.slice(1, 1 + a0.length);
      const b = text.slice(2 + a0.length, 2 + a0.length + b0.length);
      expect(reader.parse(a), a).toBe(Date.parse(a));
      expect(reader.plainUtc, a).toBe(PLAIN_UTC.test(a));
      const [aDay, aClock] = [reader.day, reader.clock];
      expect(reader.parse(b), b).toBe(Date.parse(b));
      expect(reader.plainUtc, b).toBe(PLAIN_UTC.test(b));
      const before = earlierThan(aDay, aClock, reader.day, reader.clock);
      if (before !== undefined) {
        plainPairs += 1;
        expect(before, `${a} < ${b}`).toBe(a < b);
      }
      expect(before ?? codeUnitsBefore(a, b), `${a} < ${b}`).toBe(a < b);
    }
    // The numbers decide most pairs; the others fall back to the texts.
    expect(plainPairs).toBeGreaterThan(5000);
    expect(plainPairs).toBeLessThan(19_000);
  });
});
