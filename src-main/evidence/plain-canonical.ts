/** What parsePlainCanonical returns for a text it does not read itself. */
export const NOT_PLAIN: unique symbol = Symbol('not plain canonical JSON');

let src = '';
let at = 0;
/** A string value equal to this is returned as this very string (see parsePlainCanonical). */
let shared = '';

/**
 * Parses text[start, end) when it is RFC 8785 canonical JSON of the plain kind a journal payload
 * usually is: objects with members in code-unit order, arrays, strings with no escape and no
 * surrogate, safe integers, true, false, null, and no whitespace. The value is then exactly
 * JSON.parse's and the text is exactly canonicalize's spelling of it: the grammar admits no other
 * spelling (no whitespace, no escape, no leading zero, no "-0", members strictly ascending), and
 * every character it admits in a string is one canonical JSON writes as itself.
 *
 * Anything else (fractions, exponents, escapes, non-BMP text, "__proto__", malformed text)
 * returns NOT_PLAIN and the caller decides with JSON.parse and isCanonicalText. One pass, no
 * intermediate text: the verifier reads 100,000 payloads this way, and keeps them all until its
 * verdict, so what each one holds is kept small: a string value equal to `same` is `same` itself
 * (an equal value, one string fewer), and member names come from a small table of names already
 * seen, not cut out of the text again for each payload.
 */
export function parsePlainCanonical(text: string, start: number, end: number, same = ''): unknown {
  src = text;
  at = start;
  shared = same;
  try {
    const v = value();
    return v !== NOT_PLAIN && at === end ? v : NOT_PLAIN;
  } finally {
    // Deep nesting throws RangeError to the caller: the text is not kept alive either way.
    src = '';
    shared = '';
  }
}

function value(): unknown {
  const c = src.charCodeAt(at);
  if (c === 0x22 /* " */) return string();
  if (c === 0x7b /* { */) return object();
  if (c === 0x5b /* [ */) return array();
  if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return integer();
  for (const [word, v] of LITERALS) {
    if (src.startsWith(word, at)) {
      at += word.length;
      return v;
    }
  }
  return NOT_PLAIN;
}

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

function object(): unknown {
  at += 1;
  const o: Record<string, unknown> = {};
  if (src.charCodeAt(at) === 0x7d /* } */) {
    at += 1;
    return o;
  }
  let previous: string | undefined;
  for (;;) {
    if (src.charCodeAt(at) !== 0x22) return NOT_PLAIN;
    const key = string(true);
    // "__proto__" would set the prototype here; canonicalize refuses it anyway.
    if (key === NOT_PLAIN || key === '__proto__' || (previous !== undefined && !(previous < key))) return NOT_PLAIN;
    if (src.charCodeAt(at) !== 0x3a /* : */) return NOT_PLAIN;
    at += 1;
    const v = value();
    if (v === NOT_PLAIN) return NOT_PLAIN;
    o[key] = v;
    previous = key;
    const c = src.charCodeAt(at++);
    if (c === 0x7d) return o;
    if (c !== 0x2c /* , */) return NOT_PLAIN;
  }
}

function array(): unknown {
  at += 1;
  const a: unknown[] = [];
  if (src.charCodeAt(at) === 0x5d /* ] */) {
    at += 1;
    return a;
  }
  for (;;) {
    const v = value();
    if (v === NOT_PLAIN) return NOT_PLAIN;
    a.push(v);
    const c = src.charCodeAt(at++);
    if (c === 0x5d) return a;
    if (c !== 0x2c) return NOT_PLAIN;
  }
}

/** A string with no escape, no control character and no surrogate: written as itself by canonical JSON. */
function string(name = false): string | typeof NOT_PLAIN {
  const from = at + 1;
  for (let i = from; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x22) {
      at = i + 1;
      if (name) return memberName(from, i);
      return i - from === shared.length && src.startsWith(shared, from) ? shared : src.slice(from, i);
    }
    if (c === 0x5c /* \ */ || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) return NOT_PLAIN;
  }
  return NOT_PLAIN;
}

/** A safe integer spelled as String(n) spells it: no "+", no leading zero, no "-0", no fraction or exponent. */
function integer(): number | typeof NOT_PLAIN {
  const from = at;
  if (src.charCodeAt(at) === 0x2d) at += 1;
  const first = at;
  while (at < src.length && src.charCodeAt(at) >= 0x30 && src.charCodeAt(at) <= 0x39) at += 1;
  const digits = at - first;
  if (digits === 0 || (digits > 1 && src.charCodeAt(first) === 0x30)) return NOT_PLAIN;
  const c = src.charCodeAt(at);
  if (c === 0x2e /* . */ || c === 0x65 /* e */ || c === 0x45 /* E */) return NOT_PLAIN;
  const n = Number(src.slice(from, at));
  return Number.isSafeInteger(n) && !Object.is(n, -0) ? n : NOT_PLAIN;
}

/** Member names seen lately, by a hash of their length and end characters; a miss just replaces the slot. */
const NAMES: string[] = new Array<string>(256).fill('');

/** The member name text[from, to), from NAMES when it is there (compared in full), else cut out and remembered. */
function memberName(from: number, to: number): string {
  const length = to - from;
  const slot = (length * 31 + src.charCodeAt(from) * 7 + src.charCodeAt(to - 1)) & 255;
  const known = NAMES[slot]!;
  if (known.length === length && src.startsWith(known, from)) return known;
  // A copy, not a slice: a slice would keep the whole text it came from alive in this table.
  const name = Object.keys({ [src.slice(from, to)]: 0 })[0]!;
  NAMES[slot] = name;
  return name;
}

const LOG_OPEN = '{"logged_at":"';
const LOG_MIDDLE = '","parsed":[],"text":"';
const LOG_CLOSE = '","warnings":[]}';

/**
 * parsePlainCanonical for the one payload a running-log line nearly always holds,
 * `{"logged_at":"L","parsed":[],"text":"T","warnings":[]}` with L and T plain strings (as string()
 * admits them), matched as a template: one of the texts the grammar accepts, spelled the one way it
 * accepts it, so the value is the same, built as one object literal instead of member by member.
 * Anything else returns NOT_PLAIN and the caller asks parsePlainCanonical. `same` as there.
 */
export function parseLogPayload(text: string, start: number, end: number, same = ''): unknown {
  if (!text.startsWith(LOG_OPEN, start)) return NOT_PLAIN;
  const l = start + LOG_OPEN.length;
  const lEnd = plainStringEnd(text, l, end);
  if (lEnd < 0 || !text.startsWith(LOG_MIDDLE, lEnd)) return NOT_PLAIN;
  const t = lEnd + LOG_MIDDLE.length;
  const tEnd = plainStringEnd(text, t, end);
  if (tEnd < 0 || tEnd + LOG_CLOSE.length !== end || !text.startsWith(LOG_CLOSE, tEnd)) return NOT_PLAIN;
  const logged_at = lEnd - l === same.length && text.startsWith(same, l) ? same : text.slice(l, lEnd);
  return { logged_at, parsed: [], text: text.slice(t, tEnd), warnings: [] };
}

/** Where the string whose characters start at `from` closes (its `"`), if string() would read it; else -1. */
function plainStringEnd(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) return -1;
  }
  return -1;
}
