import { hash } from 'node:crypto';

/** What the intact path says of a seq range: intact or not, and the hashes it starts from and ends at. */
export interface IntactRange {
  ok: boolean;
  /** Entries walked and found intact, from `from` on. */
  count: number;
  firstPrev: string | null;
  lastHash: string | null;
}

/** Reads up to `limit` hash lines (HASH_LINE_PAGE_SQL) from `fromSeq` on. */
export type ReadHashLines = (fromSeq: number, limit: number) => ReadonlyArray<string | null>;

/**
 * The intact path of verification: walks seq `from` onwards (through `to`, or to the last entry
 * when `to` is Infinity) and answers only "intact or not". Each entry costs one one-shot SHA-256
 * and three comparisons (intactLine): its seq, its prev_hash against the hash before it
 * (`firstPrev` when given, e.g. the genesis hash at seq 0) and its recomputed hash against the
 * stored one. It is never less strict than the explaining walk (verifyStoredRows):
 * every entry it accepts, that walk accepts too; it never explains, so callers that get `ok:
 * false` run that walk for the first bad seq and why.
 */
export function walkIntact(
  read: ReadHashLines,
  from: number,
  to: number,
  firstPrev: string | null,
  pageSize: number,
): IntactRange {
  let next = from;
  let prev = firstPrev;
  let first: string | null = null;
  for (;;) {
    const limit = Math.min(pageSize, to - next + 1);
    if (limit <= 0) break;
    const lines = read(next, limit);
    for (const line of lines) {
      const computed = intactLine(line, prev, next, sha256Hex);
      if (computed === null) return fail(next - from, first, prev);
      if (first === null) first = line!.slice(0, 64);
      prev = computed;
      next += 1;
    }
    if (lines.length < limit) break;
  }
  return { ok: true, count: next - from, firstPrev: first, lastHash: next > from ? prev : null };
}

const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/**
 * One hash line (HASH_LINE_PAGE_SQL) checked against the entry it must be: its recomputed hash
 * when intact, else null. Intact means: a line at all (the SQL guard passed), prev_hash equal to
 * `prev` (unless null: a range's first entry, which its caller joins), the stored
 * hash equal to the recomputed one, and the hashed text ending with `"seq":${seq}}`. That last
 * check builds no string (this runs once per entry): the text always ends with `"seq":` + the seq
 * column + `}`, so matching the brace, every digit of `seq` from the last, and the colon before
 * them proves the column is exactly `seq` (a longer number or a minus sign is not a colon).
 * (slice and ===, not startsWith(x, 64): V8 makes the former several times cheaper.)
 */
export function intactLine(
  line: string | null,
  prev: string | null,
  seq: number,
  sha256: (text: string) => string,
): string | null {
  if (line === null) return null;
  const input = line.slice(128);
  const computed = sha256(input);
  if ((prev !== null && line.slice(0, 64) !== prev) || line.slice(64, 128) !== computed) return null;
  let at = input.length - 1;
  if (input.charCodeAt(at) !== 0x7d) return null;
  let rest = seq;
  do {
    at -= 1;
    if (input.charCodeAt(at) !== 0x30 + (rest % 10)) return null;
    rest = Math.floor(rest / 10);
  } while (rest > 0);
  return input.charCodeAt(at - 1) === 0x3a ? computed : null;
}

function fail(count: number, firstPrev: string | null, lastHash: string | null): IntactRange {
  return { ok: false, count, firstPrev, lastHash };
}
