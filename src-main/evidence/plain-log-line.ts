import type { JournalEntry } from '../../src-shared/journal/types';
import type { LineHasher } from './line-hasher';

const KIND_TO_LOGGED_AT = ',"kind":"action_logged","payload":{"logged_at":"';
const LOGGED_AT_TO_TEXT = '","parsed":[],"text":"';
const TEXT_TO_RECORDED_AT = '","warnings":[]},"recorded_at":"';
const RECORDED_AT_TO_PREV = '","prev_hash":"';
const PREV_TO_HASH = '","hash":"';
/** Where each character of `YYYY-MM-DDTHH:MM:SS.mmmZ` must be a digit (0) or that very byte. */
const ISO_UTC = Uint8Array.from('0000-00-00T00:00:00.000Z', (c) => c.charCodeAt(0));
/** From `,"recorded_at":"` to the end of the line: 195 bytes, at fixed offsets (canonical-bundle-reader.ts). */
const TAIL = 195;

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
  constructor(
    private readonly text: string,
    /** The text's own bytes (it is ASCII: character i is byte i). */
    private readonly b: Uint8Array,
    private readonly hasher: LineHasher,
    private readonly ceremonyId: string,
    /** `    {"ceremony_id":C,"seq":` */
    private readonly prefix: string,
  ) {}

  /** Where the last line read ends: just past its `}`. */
  end = 0;

  /**
   * The entry of the line that starts at `pos` if it is a plain running-log line of position `seq`
   * that ends (`end`) at or before `limit`. The caller checks what follows it.
   */
  read(pos: number, limit: number, seq: number, lastHash: string): JournalEntry | undefined {
    const b = this.b;
    if (!same(this.text, pos, this.prefix)) return undefined;
    const seqFrom = pos + this.prefix.length;
    let p = seqFrom;
    let value = 0;
    for (let c = b[p]!; c >= 0x30 && c <= 0x39 && p - seqFrom < 16; c = b[++p]!) value = value * 10 + (c - 0x30);
    const digits = p - seqFrom;
    if (digits === 0 || value !== seq || (digits > 1 && b[seqFrom] === 0x30)) return undefined;
    const seqEnd = p;
    if (!same(this.text, p, KIND_TO_LOGGED_AT)) return undefined;
    const loggedAt = p + KIND_TO_LOGGED_AT.length;
    p = loggedAt + 24;
    if (!same(this.text, p, LOGGED_AT_TO_TEXT)) return undefined;
    const textFrom = p + LOGGED_AT_TO_TEXT.length;
    p = textFrom;
    // A plain string: no escape, no control character (the file is ASCII: no surrogate either).
    for (let c = b[p]!; c !== 0x22 && c !== 0x5c && c >= 0x20 && p < limit; c = b[++p]!);
    const textEnd = p;
    const t = textEnd + 16; // `,"recorded_at":"`, after `","warnings":[]}`
    const end = t + TAIL;
    if (end > limit || !same(this.text, textEnd, TEXT_TO_RECORDED_AT)) return undefined;
    const recordedAt = t + 16;
    for (let i = 0; i < 24; i++) {
      const c = b[recordedAt + i]!;
      const want = ISO_UTC[i]!;
      if (b[loggedAt + i] !== c || (want === 0x30 ? c < 0x30 || c > 0x39 : c !== want)) return undefined;
    }
    if (
      !same(this.text, t + 40, RECORDED_AT_TO_PREV) ||
      !same(this.text, t + 119, PREV_TO_HASH) ||
      b[t + 193] !== 0x22 ||
      b[t + 194] !== 0x7d
    )
      return undefined;
    const text = this.text;
    if (text.slice(t + 55, t + 119) !== lastHash) return undefined;
    const hash = text.slice(t + 129, t + 193);
    if (this.hasher.hash(seqEnd + 1, t, seqFrom - 6, seqEnd) !== hash) return undefined;
    const recorded_at = text.slice(recordedAt, recordedAt + 24);
    this.end = end;
    return {
      ceremony_id: this.ceremonyId,
      seq,
      kind: 'action_logged',
      payload: { logged_at: recorded_at, parsed: [], text: text.slice(textFrom, textEnd), warnings: [] },
      recorded_at,
      prev_hash: lastHash,
      hash,
    };
  }
}

/**
 * `want` at `at` in `text`. A slice compared whole: V8 compares the two strings' characters in
 * its builtin, several times faster than a loop over bytes or than `startsWith` with a position.
 */
function same(text: string, at: number, want: string): boolean {
  return text.slice(at, at + want.length) === want;
}
