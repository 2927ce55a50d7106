import { describe, expect, it } from 'vitest';
import {
  cutAtCodePoint,
  findLoneSurrogate,
  hasLoneSurrogate,
  replaceLoneSurrogates,
  replaceLoneSurrogatesDeep,
} from '../../src-shared/well-formed-text';
import { parseIsoInstant } from '../../src-shared/iso-instant';

describe('well-formed journal text', () => {
  it('cuts on code-point boundaries: a pair across the cut is dropped whole', () => {
    const text = `${'a'.repeat(499)}😀tail`; // the emoji is units 499 and 500
    expect(text.slice(0, 500)).toHaveLength(500);
    expect(hasLoneSurrogate(text.slice(0, 500))).toBe(true); // what a plain slice did
    expect(cutAtCodePoint(text, 500)).toBe('a'.repeat(499));
    expect(cutAtCodePoint(text, 501)).toBe(`${'a'.repeat(499)}😀`);
    expect(cutAtCodePoint('short', 500)).toBe('short');
  });

  it('finds and replaces lone surrogates, high or low, and leaves pairs alone', () => {
    expect(replaceLoneSurrogates('a\ud800b\udc00c😀')).toEqual({ text: 'a\ufffdb\ufffdc😀', replaced: 2 });
    expect(hasLoneSurrogate('😀')).toBe(false);
    expect(findLoneSurrogate({ a: [{ b: 'ok' }, { c: 'x\udfff' }] })).toBe('a[1].c');
    expect(findLoneSurrogate({ ['k\ud800']: 1 })).toBe('k\ufffd (the key)');
    const when = new Date('2026-01-01T00:00:00Z');
    const deep = replaceLoneSurrogatesDeep({ at: when, list: ['\ud800'] });
    expect(deep.replaced).toBe(1);
    expect(deep.value.at).toBe(when);
    expect(deep.value.list).toEqual(['\ufffd']);
  });
});

describe('parseIsoInstant', () => {
  it('refuses days the month does not have, instead of rolling over into the next month', () => {
    expect(parseIsoInstant('2026-02-30T10:00:00Z')).toEqual({
      ok: false,
      reason: '2026-02 has no day 30 (it has 28 days)',
    });
    expect(parseIsoInstant('2028-02-29T10:00:00Z').ok).toBe(true);
    expect(parseIsoInstant('2026-02-30')).toMatchObject({ ok: false, reason: expect.stringContaining('with a zone') });
    expect(parseIsoInstant('2026-13-01T00:00Z')).toMatchObject({ ok: false, reason: 'there is no month 13' });
    expect(parseIsoInstant('2026-05-20T24:00:00Z').ok).toBe(false);
    expect(parseIsoInstant('2026-05-20T13:00:00+02:00')).toEqual({ ok: true, date: new Date('2026-05-20T11:00:00Z') });
  });
});
