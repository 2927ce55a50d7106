import type { JournalEntry } from '../../src-shared/journal/types';
import type { LineHasher } from './line-hasher';
import { PlainUtcBytes } from './plain-utc-bytes';

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
 * Accept-only: it reads exactly what readEntryLine (with parseLogPayload) reads on such a line
 * decoded, the same entry, and returns undefined on anything else, after which the caller decodes
 * the line and asks readEntryLine. The file is never decoded whole: the entry's three strings
 * (text, time, hash) are made from the bytes alone, so that what the verdict keeps is 100,000 small
 * flat strings rather than slices that hold a 40 MB text alive (and that every later character
 * read has to go through). It finds the line's end from its own structure, so
 * the line is not scanned for its newline first; and it avoids `startsWith`, which on V8 costs
 * about 130 ns a call, run 100,000 times a verification. Two checks are left to comparisons it
 * needs anyway: P is the previous hash (so hex, and never the first line, whose previous hash is
 * none), and H is the hash recomputed from the line (so hex and right); else the long way.
 */
export class PlainLogLineReader {
  private readonly view: DataView;
  private readonly prefix: Constant;

  constructor(
    /** The file's bytes, all ASCII. */
    private readonly b: Buffer,
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
  /** Date.parse of the last line's recorded_at if it is a PLAIN_UTC time, else NaN (plain-utc-bytes.ts). */
  recordedMs = NaN;
  private readonly times = new PlainUtcBytes();

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
    // logged_at is recorded_at's very bytes, and those need no escape in JSON: the bytes are the value.
    const recordedAt = t + 16;
    const w0 = v.getInt32(recordedAt, true);
    const w1 = v.getInt32(recordedAt + 4, true);
    const w2 = v.getInt32(recordedAt + 8, true);
    const w3 = v.getInt32(recordedAt + 12, true);
    const w4 = v.getInt32(recordedAt + 16, true);
    const w5 = v.getInt32(recordedAt + 20, true);
    if (
      w0 !== v.getInt32(loggedAt, true) ||
      w1 !== v.getInt32(loggedAt + 4, true) ||
      w2 !== v.getInt32(loggedAt + 8, true) ||
      w3 !== v.getInt32(loggedAt + 12, true) ||
      w4 !== v.getInt32(loggedAt + 16, true) ||
      w5 !== v.getInt32(loggedAt + 20, true) ||
      notPlain(w0) ||
      notPlain(w1) ||
      notPlain(w2) ||
      notPlain(w3) ||
      notPlain(w4) ||
      notPlain(w5)
    )
      return undefined;
    if (
      !same(v, b, t + 40, RECORDED_AT_TO_PREV) ||
      !same(v, b, t + 119, PREV_TO_HASH) ||
      b[t + 193] !== 0x22 ||
      b[t + 194] !== 0x7d
    )
      return undefined;
    // Compared as bytes, four at a time.
    if (lastHashAt < 0) return undefined;
    for (let i = 0; i < 64; i += 4)
      if (v.getInt32(t + 55 + i, true) !== v.getInt32(lastHashAt + i, true)) return undefined;
    // The recomputed hash, when the line's own, is the entry's: one string, not also a copy of the file's.
    const hash = this.hasher.hash(seqEnd + 1, t, seqFrom - 6, seqEnd);
    if (hash === undefined || !isSpelledAt(b, t + 129, hash)) return undefined;
    const recorded_at = time24(b, recordedAt);
    this.end = end;
    this.recordedMs = this.times.read(w0, w1, w2, w3, w4, w5, recorded_at);
    return {
      ceremony_id: this.ceremonyId,
      seq,
      kind: 'action_logged',
      payload: {
        logged_at: recorded_at,
        parsed: NONE,
        text: b.toString('latin1', textFrom, textEnd),
        warnings: NONE,
      },
      recorded_at,
      prev_hash: lastHash,
      hash,
    };
  }
}

/** The 64 characters of `hex` (a digest) are the 64 bytes at `at`. */
function isSpelledAt(b: Uint8Array, at: number, hex: string): boolean {
  for (let i = 0; i < 64; i++) if (b[at + i] !== hex.charCodeAt(i)) return false;
  return true;
}

/**
 * The 24 ASCII bytes of a time at `p` as a string of its own: String.fromCharCode with every byte
 * spelled out is a builtin that allocates the string alone, about half the cost of a Buffer
 * decode's call into the runtime, and unlike a slice of a whole decoded file it leaves the rules,
 * which read every time character by character, a flat string to read.
 */
function time24(b: Uint8Array, p: number): string {
  // prettier-ignore
  return String.fromCharCode(
    b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!,
    b[p + 8]!, b[p + 9]!, b[p + 10]!, b[p + 11]!, b[p + 12]!, b[p + 13]!, b[p + 14]!, b[p + 15]!,
    b[p + 16]!, b[p + 17]!, b[p + 18]!, b[p + 19]!, b[p + 20]!, b[p + 21]!, b[p + 22]!, b[p + 23]!,
  );
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
