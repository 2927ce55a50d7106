import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { witnessCode, witnessCodeMatches } from '../../../src-shared/ceremony/witness-code';
import { WITNESS_WORDS } from '../../../src-shared/ceremony/witness-words';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

describe('witness code', () => {
  it('has 256 distinct plain words', () => {
    expect(WITNESS_WORDS).toHaveLength(256);
    expect(new Set(WITNESS_WORDS).size).toBe(256);
    for (const w of WITNESS_WORDS) expect(w).toMatch(/^[a-z]{3,8}$/);
  });

  it('takes one word per byte of the head hash, plus the seq', () => {
    const h = `00ff10a0${'0'.repeat(56)}`;
    const code = witnessCode({ seq: 7, hash: h });
    expect(code.words).toEqual([WITNESS_WORDS[0], WITNESS_WORDS[255], WITNESS_WORDS[16], WITNESS_WORDS[160]]);
    expect(code.text).toBe(`${code.words.join(' ')} 7`);
  });

  it('changes with the head and checks what a founder wrote down', () => {
    const a = witnessCode({ seq: 3, hash: hash('a') });
    const b = witnessCode({ seq: 3, hash: hash('b') });
    expect(a.text).not.toBe(b.text);
    expect(witnessCodeMatches(`  ${a.text.toUpperCase().replace(/ /g, '-')} `, { seq: 3, hash: hash('a') })).toBe(true);
    expect(witnessCodeMatches(a.text, { seq: 4, hash: hash('a') })).toBe(false);
    expect(() => witnessCode({ seq: 1, hash: 'nothex' })).toThrow(/64 lowercase hex/);
  });
});
