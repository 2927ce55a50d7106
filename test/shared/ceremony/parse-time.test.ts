import { describe, expect, it } from 'vitest';
import { parseTime } from '../../../src-shared/ceremony/parse-time';
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
