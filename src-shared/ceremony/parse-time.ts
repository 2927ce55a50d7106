/**
 * Reads times as Date.parse does, exactly (test/shared/ceremony/parse-time.test.ts), for the rules'
 * time checks, which read every entry's recorded_at: 100,000 times in a long ceremony, nearly all
 * on one or two days. A time spelled `YYYY-MM-DDTHH:MM:SS.mmmZ` with an hour, minute and second
 * in range is its day's midnight (Date.parse once per day) plus the time of day, which is how
 * Date.parse composes it; any other spelling goes to Date.parse itself.
 *
 * Such a plain time is also kept as two numbers, `day` (YYYYMMDD) and `clock` (HHMMSSmmm): two
 * plain times have the same fixed-width digits at the same places, so their order by code units
 * (`<`) is the order of (day, clock), which earlierThan answers without reading the texts again.
 */
export class TimeReader {
  /** Date.parse of the last time read. */
  ms = NaN;
  /** The last time read as YYYYMMDD if it was plain, else -1. */
  day = -1;
  /** The last time read as HHMMSSmmm if it was plain, else -1. */
  clock = -1;
  /** Whether the last time read matches PLAIN_UTC (action-logged-payload.ts): plain, month 01-12, day 01-28. */
  plainUtc = false;
  /** The day of the last plain time read (YYYYMMDD) and Date.parse of its midnight (UTC). */
  private cachedDay = -1;
  private cachedDayMs = NaN;

  /** Date.parse(s), exactly; sets all the fields above. */
  parse(s: string): number {
    this.read(s);
    return this.ms;
  }

  /**
   * parse without its result, which is in `ms`: a number returned from a call that is not
   * inlined is a new heap object, 100,000 of them for the collector in a long ceremony.
   */
  read(s: string): void {
    this.day = -1;
    this.clock = -1;
    this.plainUtc = false;
    if (
      s.length !== 24 ||
      s.charCodeAt(4) !== 0x2d ||
      s.charCodeAt(7) !== 0x2d ||
      s.charCodeAt(10) !== 0x54 /* T */ ||
      s.charCodeAt(13) !== 0x3a ||
      s.charCodeAt(16) !== 0x3a ||
      s.charCodeAt(19) !== 0x2e ||
      s.charCodeAt(23) !== 0x5a /* Z */
    ) {
      this.ms = Date.parse(s);
      return;
    }
    const month = digits(s, 5, 2);
    const date = digits(s, 8, 2);
    const day = digits(s, 0, 4) * 10000 + month * 100 + date;
    const h = digits(s, 11, 2);
    const m = digits(s, 14, 2);
    const sec = digits(s, 17, 2);
    const ms = digits(s, 20, 3);
    // A non-digit makes its field -1e9, and so day or ms negative.
    if (!(day >= 0 && h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59 && ms >= 0)) {
      this.ms = Date.parse(s);
      return;
    }
    if (day !== this.cachedDay) {
      this.cachedDayMs = Date.parse(`${s.slice(0, 10)}T00:00:00.000Z`);
      this.cachedDay = day;
    }
    this.day = day;
    this.plainUtc = month >= 1 && month <= 12 && date >= 1 && date <= 28;
    this.clock = h * 10_000_000 + m * 100_000 + sec * 1000 + ms;
    this.ms = this.cachedDayMs + h * 3_600_000 + m * 60_000 + sec * 1000 + ms;
  }
}

/**
 * `a < b` by code units for two times already read by TimeReader (their day and clock), when both
 * were plain; undefined when either was not, and the caller compares the texts.
 */
export function earlierThan(aDay: number, aClock: number, bDay: number, bClock: number): boolean | undefined {
  if (aDay < 0 || bDay < 0) return undefined;
  return aDay < bDay || (aDay === bDay && aClock < bClock);
}

const shared = new TimeReader();

/** Date.parse(s), exactly (see TimeReader). */
export function parseTime(s: string): number {
  return shared.parse(s);
}

/** The decimal number spelled by the `count` characters at `at`, or -1e9 if one is not a digit 0-9. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1e9;
    n = n * 10 + c;
  }
  return n;
}
