/** The day of the last time read, as the number YYYYMMDD, and Date.parse of its midnight (UTC). */
let lastDay = -1;
let lastDayMs = NaN;

/**
 * Date.parse, exactly (test/shared/ceremony/parse-time.test.ts), for the rules' time checks, which
 * read every entry's recorded_at: 100,000 times in a long ceremony, nearly all on one or two days.
 * A time spelled `YYYY-MM-DDTHH:MM:SS.mmmZ` with an hour, minute and second in range is its day's
 * midnight (Date.parse once per day) plus the time of day, which is how Date.parse composes it;
 * any other spelling goes to Date.parse itself.
 */
export function parseTime(s: string): number {
  if (
    s.length === 24 &&
    s.charCodeAt(4) === 0x2d &&
    s.charCodeAt(7) === 0x2d &&
    s.charCodeAt(10) === 0x54 /* T */ &&
    s.charCodeAt(13) === 0x3a &&
    s.charCodeAt(16) === 0x3a &&
    s.charCodeAt(19) === 0x2e &&
    s.charCodeAt(23) === 0x5a /* Z */
  ) {
    const day = digits(s, 0, 4) * 10000 + digits(s, 5, 2) * 100 + digits(s, 8, 2);
    const h = digits(s, 11, 2);
    const m = digits(s, 14, 2);
    const sec = digits(s, 17, 2);
    const ms = digits(s, 20, 3);
    if (day >= 0 && h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59 && ms >= 0) {
      if (day !== lastDay) {
        lastDayMs = Date.parse(`${s.slice(0, 10)}T00:00:00.000Z`);
        lastDay = day;
      }
      return lastDayMs + h * 3_600_000 + m * 60_000 + sec * 1000 + ms;
    }
  }
  return Date.parse(s);
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
