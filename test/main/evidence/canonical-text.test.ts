import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src-shared/canonical-json';
import { isCanonicalText } from '../../../src-main/evidence/canonical-text';
import { NOT_PLAIN, parseLogPayload, parsePlainCanonical } from '../../../src-main/evidence/plain-canonical';
import { seededRng } from '../../support/seeded-rng';

/*
 * isCanonicalText(JSON.parse(t), t) is the verifier's per-payload spelling check: it must answer
 * exactly what `canonicalize(JSON.parse(t)) === t` answers (false where canonicalize refuses).
 * Texts are random JSON documents spelled canonically and then re-spelled the ways a forger
 * would: members out of order, integer-like keys, escapes, other number spellings, whitespace,
 * big integers, lone surrogates, "__proto__". The one-pass reader of plain payloads
 * (parsePlainCanonical) may decline any text, but what it reads must be canonical and its value
 * exactly JSON.parse's.
 */

const SEED = 0x5eed8785;
const CASES = 4000;

type Rng = ReturnType<typeof seededRng>;

const STRINGS = [
  '',
  'a',
  'ran: aws s3 ls',
  'é',
  '€',
  '😀',
  '\ufb33',
  'tab\there',
  'line\nbreak',
  'quote"q',
  'back\\slash',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u2028',
  'C:\\users',
  '\\u0041',
];
const KEYS = ['a', 'b', 'z', 'text', 'logged_at', '1', '10', '9', '0', '__proto__', '€', '😀', '\ufb33', 'A', '_', ''];
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  4.5,
  0.002,
  1e21,
  1e-7,
  333333333.3333333,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  1e30,
  123456789012345680000,
];

function value(rng: Rng, depth: number): unknown {
  const r = rng.int(depth > 2 ? 5 : 8);
  if (r === 0) return null;
  if (r === 1) return rng.int(2) === 0;
  if (r === 2) return rng.pick(NUMBERS);
  if (r === 3 || r === 4) return rng.pick(STRINGS) + (rng.int(6) === 0 ? '\ud800' : '');
  if (r === 5) return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = rng.int(5); i > 0; i--)
    Object.defineProperty(o, rng.pick(KEYS), {
      value: value(rng, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return o;
}

/** A JSON spelling of v other than (or, sometimes, equal to) its canonical one. */
function spelling(rng: Rng, v: unknown): string {
  const base = rng.int(2) === 0 ? JSON.stringify(v) : (safeCanonical(v) ?? JSON.stringify(v));
  switch (rng.int(7)) {
    case 0:
      return base;
    case 1: // an escape where the text has the character
      return base.replace(/[a-zA-Z€]/, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    case 2: // another number spelling
      return base.replace(/(?<=[:,[])(\d+)(?=[,}\]])/, '$1.0');
    case 3:
      return base.replace(/(?<=[:,[])(\d+)(?=[,}\]])/, '$1e0');
    case 4: // whitespace
      return base.replace(/,/, ', ');
    case 5: // a duplicate member
      return base.replace(/^\{("[^"]*":[^,{}[\]]*),/, '{$1,$1,');
    default:
      return base;
  }
}

function safeCanonical(v: unknown): string | undefined {
  try {
    return canonicalize(v);
  } catch {
    return undefined;
  }
}

/** Every string value inside a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (v === null || typeof v !== 'object') return [];
  return Object.values(v).flatMap(strings);
}

describe('isCanonicalText', () => {
  it('agrees with canonicalize on random documents and their re-spellings', () => {
    const rng = seededRng(SEED);
    let canonical = 0;
    let refused = 0;
    for (let i = 0; i < CASES; i++) {
      const doc = { payload: value(rng, 0) };
      const text = spelling(rng, doc);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue;
      }
      const expected = safeCanonical(parsed) === text;
      expect(isCanonicalText(parsed, text), `case ${i}: ${text}`).toBe(expected);
      if (expected) canonical += 1;
      else refused += 1;
    }
    // Both answers are exercised, or the property says nothing.
    expect(canonical).toBeGreaterThan(CASES / 10);
    expect(refused).toBeGreaterThan(CASES / 10);
  });

  it('parsePlainCanonical reads only canonical texts, to exactly the value JSON.parse gives', () => {
    const rng = seededRng(SEED + 1);
    let read = 0;
    let declinedCanonical = 0;
    for (let i = 0; i < CASES; i++) {
      const text = spelling(rng, { payload: value(rng, 0) });
      // Also a few bytes of padding either side: only the given range is read.
      const padded = `x${text}yz`;
      const v = parsePlainCanonical(padded, 1, 1 + text.length);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        expect(v, `case ${i}: ${text}`).toBe(NOT_PLAIN);
        continue;
      }
      const canonical = safeCanonical(parsed) === text;
      if (v === NOT_PLAIN) {
        if (canonical) declinedCanonical += 1;
        continue;
      }
      read += 1;
      expect(canonical, `case ${i}: ${text}`).toBe(true);
      expect(v).toEqual(parsed);
      // A string handed in to share (the verifier passes recorded_at) changes nothing in the value.
      const shared = rng.pick(['', 'a', 'ab', '2026-11-20T08:10:00.500Z', ...strings(parsed)]);
      expect(parsePlainCanonical(padded, 1, 1 + text.length, shared), `case ${i}: ${text}`).toEqual(parsed);
    }
    expect(read).toBeGreaterThan(CASES / 20);
    expect(declinedCanonical).toBeGreaterThan(0);
  });

  it('parseLogPayload reads a running-log payload exactly as parsePlainCanonical does, or declines', () => {
    const rng = seededRng(SEED + 2);
    const PARTS = [
      '{"logged_at":"',
      '2026-11-20T08:10:00.500Z',
      '","parsed":[],"text":"',
      'ran: aws s3 ls',
      '","warnings":[]}',
    ];
    const NOISE = ['"', '\\', '\\"', '\u0001', 'é', '\ud800', '😀', ',', '[]', '["w"]', '}', ' ', '', 'x'];
    let read = 0;
    for (let i = 0; i < CASES; i++) {
      const parts = [...PARTS];
      for (let k = rng.int(3); k > 0; k--) {
        const at = rng.int(parts.length);
        const piece = rng.pick(NOISE);
        parts[at] = rng.int(2) ? parts[at]! + piece : piece + parts[at]!.slice(1);
      }
      const text = parts.join('');
      const padded = `x${text}yz`;
      const same = rng.int(2) ? '2026-11-20T08:10:00.500Z' : '';
      const v = parseLogPayload(padded, 1, 1 + text.length, same);
      if (v === NOT_PLAIN) continue;
      read += 1;
      expect(v, `case ${i}: ${text}`).toEqual(parsePlainCanonical(padded, 1, 1 + text.length));
      expect(v, `case ${i}: ${text}`).toEqual(JSON.parse(text));
    }
    expect(read).toBeGreaterThan(CASES / 20);
  });

  it('parsePlainCanonical names members right when remembered names collide', () => {
    // Same length, same first and last characters: one slot of the table of names, read in turn.
    const names = ['abcz', 'axyz', 'a--z', 'abcz', 'a', 'b', ''];
    for (let round = 0; round < 3; round++)
      for (const n of names) {
        const text = `{${JSON.stringify(n)}:{${JSON.stringify(`${n}!`)}:1}}`;
        expect(parsePlainCanonical(text, 0, text.length), text).toEqual(JSON.parse(text));
      }
  });

  it('parsePlainCanonical declines raw characters canonical JSON never writes as themselves', () => {
    // A raw lone surrogate (JSON.parse takes it, canonicalize refuses it), raw control characters
    // (not JSON), and, declined though canonical, a surrogate pair.
    for (const text of [
      '{"a":"\ud800"}',
      '{"a":"x\udc00y"}',
      '{"a":"\u0001"}',
      '{"a":"tab\there"}',
      '{"a":"\ud83d\ude00"}',
      '{"a":-0}',
      '{"a":01}',
      '{"a":1.5}',
      '{"a": 1}',
    ]) {
      expect(parsePlainCanonical(text, 0, text.length), JSON.stringify(text)).toBe(NOT_PLAIN);
    }
    const plain = '{"a":[1,-2,true,false,null,"é€"],"b":{}}';
    expect(parsePlainCanonical(plain, 0, plain.length)).toEqual({ a: [1, -2, true, false, null, 'é€'], b: {} });
  });

  it('refuses what canonicalize refuses even when JSON.stringify would reproduce the text', () => {
    for (const text of [
      '{"a":9007199254740993}',
      '{"a":"\\ud800"}',
      '{"__proto__":1}',
      '{"b":1,"a":2}',
      '{"9":1,"10":2}',
      '{"a":{"z":1,"b":2}}',
    ]) {
      expect(isCanonicalText(JSON.parse(text), text), text).toBe(false);
    }
    for (const text of ['{"10":2,"9":1}', '{"a":1e+21}', '{"a":"\\u0001"}', '{"a":[{"b":null,"c":-1.5}]}']) {
      expect(isCanonicalText(JSON.parse(text), text), text).toBe(true);
    }
  });
});
