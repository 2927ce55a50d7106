import { describe, expect, it } from 'vitest';
import { codeUnitsBefore } from '../../../src-shared/ceremony/history-rules';
import { seededRng } from '../../support/seeded-rng';

/* The rules' order check compares recorded_at texts by hand: it must be exactly JavaScript's `<`. */

const PIECES = ['2026-11-20T08:10:00.500Z', '2026-11-20T08:10:00.5', '', '0', '9', 'Z', 'é', '\ud800', '😀', 'a', 'A'];

describe('codeUnitsBefore', () => {
  it('orders strings exactly as < does, prefixes, non-ASCII and lone surrogates included', () => {
    const rng = seededRng(0x0bde4);
    const make = () => {
      let s = '';
      for (let k = rng.int(4); k > 0; k--) s += rng.pick(PIECES);
      return s;
    };
    for (let c = 0; c < 5000; c++) {
      const a = make();
      const b = rng.int(4) === 0 ? a : make();
      // Slices of a longer text too, as the verifier's strings are.
      const text = `x${a}|${b}y`;
      const sa = text.slice(1, 1 + a.length);
      const sb = text.slice(2 + a.length, 2 + a.length + b.length);
      expect(codeUnitsBefore(sa, sb), JSON.stringify([a, b])).toBe(a < b);
      expect(codeUnitsBefore(sb, sa), JSON.stringify([b, a])).toBe(b < a);
    }
  });
});
