import { parseTime } from '../../src-shared/ceremony/parse-time';

/**
 * Date.parse of a time the line reader has as 24 ASCII bytes, read from the four-byte words it
 * already loaded, for the rules' time checks (history-times.ts): a rule that reads 100,000 times
 * from strings pays ~6 ns a character in V8, ~150 ns a time, where the words cost a few shifts.
 *
 * Only a PLAIN_UTC time (action-logged-payload.ts: `YYYY-MM-DDTHH:MM:SS.mmmZ`, month 01-12, day
 * 01-28, hour 00-23, minute and second 00-59) is read: every such day exists in every month, so
 * Date.parse is its day's midnight plus the time of day, and the order of two such times is the
 * order of their texts. Anything else is NaN, and the rules read the string as before. The day's
 * midnight comes from parseTime of the time's own text, once per day (test/main/evidence/
 * plain-utc-bytes.test.ts holds the result to Date.parse and PLAIN_UTC, byte by byte).
 */
export class PlainUtcBytes {
  private day = -1;
  private dayMs = NaN;

  /** The words are the 24 bytes in little-endian order; `text` is the same 24 bytes as a string. */
  read(w0: number, w1: number, w2: number, w3: number, w4: number, w5: number, text: string): number {
    // `YYYY` `-MM-` `DDTH` `H:MM` `:SS.` `mmmZ`: the separators first.
    if (
      (w1 & 0xff0000ff) !== 0x2d00002d ||
      (w2 & 0x00ff0000) !== 0x00540000 ||
      (w3 & 0x0000ff00) !== 0x00003a00 ||
      (w4 & 0xff0000ff) !== 0x2e00003a ||
      (w5 & 0xff000000) !== 0x5a000000
    )
      return NaN;
    const y0 = digit(w0, 0);
    const y1 = digit(w0, 8);
    const y2 = digit(w0, 16);
    const y3 = digit(w0, 24);
    const mo0 = digit(w1, 8);
    const mo1 = digit(w1, 16);
    const d0 = digit(w2, 0);
    const d1 = digit(w2, 8);
    const h0 = digit(w2, 24);
    const h1 = digit(w3, 0);
    const mi0 = digit(w3, 16);
    const mi1 = digit(w3, 24);
    const s0 = digit(w4, 8);
    const s1 = digit(w4, 16);
    const f0 = digit(w5, 0);
    const f1 = digit(w5, 8);
    const f2 = digit(w5, 16);
    // A byte that is not a digit is below 0 or above 9 here: the OR of each and 9 minus each is negative.
    const all = y0 | y1 | y2 | y3 | mo0 | mo1 | d0 | d1 | h0 | h1 | mi0 | mi1 | s0 | s1 | f0 | f1 | f2;
    const nines =
      (9 - y0) | (9 - y1) | (9 - y2) | (9 - y3) | (9 - mo0) | (9 - mo1) | (9 - d0) | (9 - d1) | (9 - h0) | (9 - h1);
    const nines2 = (9 - mi0) | (9 - mi1) | (9 - s0) | (9 - s1) | (9 - f0) | (9 - f1) | (9 - f2);
    if ((all | nines | nines2) < 0) return NaN;
    const month = mo0 * 10 + mo1;
    const date = d0 * 10 + d1;
    const hour = h0 * 10 + h1;
    const minute = mi0 * 10 + mi1;
    const second = s0 * 10 + s1;
    if (month < 1 || month > 12 || date < 1 || date > 28 || hour > 23 || minute > 59 || second > 59) return NaN;
    const clockMs = hour * 3_600_000 + minute * 60_000 + second * 1000 + f0 * 100 + f1 * 10 + f2;
    const day = (((y0 * 10 + y1) * 10 + y2) * 10 + y3) * 10000 + month * 100 + date;
    if (day !== this.day) {
      this.dayMs = parseTime(text) - clockMs;
      this.day = day;
    }
    return this.dayMs + clockMs;
  }
}

/** The byte at `shift` of a little-endian word, as a decimal digit (out of 0-9 when it is not one). */
function digit(w: number, shift: number): number {
  return ((w >>> shift) & 0xff) - 0x30;
}
