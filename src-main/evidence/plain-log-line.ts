import type { JournalEntry } from '../../src-shared/journal/types';
import type { LineHasher } from './line-hasher';

/**
 * An ASCII constant as little-endian 32-bit words and the bytes after the last whole word: a
 * line's constant pieces are compared four bytes at a time (DataView reads unaligned words).
 */
interface Constant {
  words: Int32Array;
  rest: Uint8Array;
  length: number;
}

function constant(text: string): Constant {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  const words = Int32Array.from({ length: bytes.length >> 2 }, (_, i) => view.getInt32(4 * i, true));
  return { words, rest: bytes.subarray(4 * words.length), length: bytes.length };
}

const KIND_TO_LOGGED_AT = constant(',"kind":"action_logged","payload":{"logged_at":"');
const LOGGED_AT_TO_TEXT = constant('","parsed":[],"text":"');
const TEXT_TO_RECORDED_AT = constant('","warnings":[]},"recorded_at":"');
const RECORDED_AT_TO_PREV = constant('","prev_hash":"');
const PREV_TO_HASH = constant('","hash":"');
/** From `,"recorded_at":"` to the end of the line: 195 bytes, at fixed offsets (canonical-bundle-reader.ts). */
const TAIL = 195;
/**
 * The empty `parsed` and `warnings` of every plain line: one frozen array, not two new ones per
 * line kept until the verdict, 100,000 times. Nothing writes to a payload; frozen, nothing can.
 */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * The reader of the line nearly every entry of a long ceremony is, in an ASCII file:
 * `    {"ceremony_id":C,"seq":N,"kind":"action_logged","payload":{"logged_at":"R","parsed":[],
 * "text":"T","warnings":[]},"recorded_at":"R","prev_hash":"P","hash":"H"}` with logged_at the
 * same bytes as recorded_at, P the previous line's hash, and H the line's own chain hash.
 *
 * Accept-only: it reads exactly what readEntryLine (with parseLogPayload) reads on such a line,
 * the same entry built from the same slices of `text`, and returns undefined on anything else,
 * after which the caller asks readEntryLine. It finds the line's end from its own structure, so
 * the line is not scanned for its newline first; and it avoids `startsWith`, which on V8 costs
 * about 130 ns a call, run 100,000 times a verification. Two checks are left to comparisons it
 * needs anyway: P is the previous hash (so hex, and never the first line, whose previous hash is
 * none), and H is the hash recomputed from the line (so hex and right); else the long way.
 */
export class PlainLogLineReader {
  private readonly view: DataView;
  private readonly prefix: Constant;

  constructor(
    private readonly text: string,
    /** The text's own bytes (it is ASCII: character i is byte i). */
    private readonly b: Uint8Array,
    private readonly hasher: LineHasher,
    private readonly ceremonyId: string,
    /** `    {"ceremony_id":C,"seq":` */
    prefix: string,
  ) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.prefix = constant(prefix);
  }

  /** Where the last line read ends: just past its `}`. */
  end = 0;

  /**
   * The entry of the line that starts at `pos` if it is a plain running-log line of position `seq`
   * that ends (`end`) at or before `limit`. The caller checks what follows it. `lastHash` is the
   * previous line's hash and `lastHashAt` where its 64 bytes are in the file (-1: no line before).
   */
  read(pos: number, limit: number, seq: number, lastHash: string, lastHashAt: number): JournalEntry | undefined {
    const b = this.b;
    const v = this.view;
    if (pos + this.prefix.length > limit || !same(v, b, pos, this.prefix)) return undefined;
    const seqFrom = pos + this.prefix.length;
    let p = seqFrom;
    let value = 0;
    for (let c = b[p]!; c >= 0x30 && c <= 0x39 && p - seqFrom < 16; c = b[++p]!) value = value * 10 + (c - 0x30);
    const digits = p - seqFrom;
    if (digits === 0 || value !== seq || (digits > 1 && b[seqFrom] === 0x30)) return undefined;
    const seqEnd = p;
    // Every read below stays before `limit`, inside the file: a DataView read past its end throws.
    if (p + 100 > limit || !same(v, b, p, KIND_TO_LOGGED_AT)) return undefined;
    const loggedAt = p + KIND_TO_LOGGED_AT.length;
    p = loggedAt + 24;
    if (!same(v, b, p, LOGGED_AT_TO_TEXT)) return undefined;
    const textFrom = p + LOGGED_AT_TO_TEXT.length;
    const textEnd = plainEnd(v, b, textFrom, limit);
    const t = textEnd + 16; // `,"recorded_at":"`, after `","warnings":[]}`
    const end = t + TAIL;
    if (end > limit || !same(v, b, textEnd, TEXT_TO_RECORDED_AT)) return undefined;
    // logged_at is recorded_at's very bytes, and those need no escape in JSON: the slice is the value.
    const recordedAt = t + 16;
    for (let i = 0; i < 24; i += 4) {
      const w = v.getInt32(recordedAt + i, true);
      if (w !== v.getInt32(loggedAt + i, true) || notPlain(w)) return undefined;
    }
    if (
      !same(v, b, t + 40, RECORDED_AT_TO_PREV) ||
      !same(v, b, t + 119, PREV_TO_HASH) ||
      b[t + 193] !== 0x22 ||
      b[t + 194] !== 0x7d
    )
      return undefined;
    // Compared as bytes: V8 compares a slice of the file's text with another string in its runtime,
    // ~150 ns for 64 characters, twice a line.
    if (lastHashAt < 0) return undefined;
    for (let i = 0; i < 64; i += 4)
      if (v.getInt32(t + 55 + i, true) !== v.getInt32(lastHashAt + i, true)) return undefined;
    const digest = this.hasher.hash(seqEnd + 1, t, seqFrom - 6, seqEnd, 'binary');
    if (digest === undefined || !isHexOf(b, t + 129, digest)) return undefined;
    const text = this.text;
    const hash = text.slice(t + 129, t + 193);
    const recorded_at = text.slice(recordedAt, recordedAt + 24);
    this.end = end;
    return {
      ceremony_id: this.ceremonyId,
      seq,
      kind: 'action_logged',
      payload: { logged_at: recorded_at, parsed: NONE, text: text.slice(textFrom, textEnd), warnings: NONE },
      recorded_at,
      prev_hash: lastHash,
      hash,
    };
  }
}

/** Lowercase hex digits by byte; -1 for every other byte. */
const HEX = Int8Array.from({ length: 256 }, (_, c) =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1,
);

/** The 64 bytes at `at` are the lowercase hex spelling of the 32 bytes `raw` holds (a Latin-1 digest). */
function isHexOf(b: Uint8Array, at: number, raw: string): boolean {
  for (let i = 0; i < 32; i++) {
    const hi = HEX[b[at + 2 * i]!]!;
    const lo = HEX[b[at + 2 * i + 1]!]!;
    if ((hi | lo) < 0 || ((hi << 4) | lo) !== raw.charCodeAt(i)) return false;
  }
  return true;
}

/** `want` at `at`: its words, then its last bytes. */
function same(v: DataView, b: Uint8Array, at: number, want: Constant): boolean {
  const words = want.words;
  for (let i = 0; i < words.length; i++) if (v.getInt32(at + 4 * i, true) !== words[i]) return false;
  const rest = want.rest;
  const from = at + 4 * words.length;
  for (let i = 0; i < rest.length; i++) if (b[from + i] !== rest[i]) return false;
  return true;
}

/**
 * Where the plain JSON string text that starts at `from` ends (its closing quote, or `limit`):
 * the first `"`, `\` or control character. Four ASCII bytes at a time (notPlain), then byte by byte.
 */
function plainEnd(v: DataView, b: Uint8Array, from: number, limit: number): number {
  let p = from;
  while (p + 4 <= limit && !notPlain(v.getInt32(p, true))) p += 4;
  for (let c = b[p]!; c !== 0x22 && c !== 0x5c && c >= 0x20 && p < limit; c = b[++p]!);
  return p;
}

/**
 * Whether four ASCII bytes (each below 0x80: the file is ASCII) hold a control character, `"` or
 * `\`: the word tests "has a byte below n" and "has a zero byte" (of the word XOR a repeated byte)
 * from Sean Anderson's Bit Twiddling Hacks, exact for bytes below 0x80.
 */
export function notPlain(w: number): boolean {
  const quote = w ^ 0x22222222;
  const backslash = w ^ 0x5c5c5c5c;
  return (
    ((w - 0x20202020) & ~w & 0x80808080) !== 0 ||
    ((quote - 0x01010101) & ~quote & 0x80808080) !== 0 ||
    ((backslash - 0x01010101) & ~backslash & 0x80808080) !== 0
  );
}
