/**
 * Finds the byte ranges of the top-level JSON values in a buffer, and of the elements of one
 * array member of each, without building the whole document. A 100 MB CloudTrail file parsed
 * whole holds the text, the bytes and a tree several times their size at once; parsed element
 * by element only the bytes stay (bench/reconcile.bench.ts measures both).
 *
 * Only structure is checked here (brackets, strings, commas); each element is handed to
 * JSON.parse, which checks the rest. Errors name a byte offset, never the bytes themselves
 * (a gzip or binary file must not be echoed to a terminal).
 */

export class JsonScanError extends Error {
  constructor(
    readonly offset: number,
    problem: string,
  ) {
    super(`${problem} at byte ${offset}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export interface Range {
  start: number;
  end: number;
}

/** One top-level value: an object whose members are listed (value ranges), or a scalar/array. */
export interface TopLevel extends Range {
  /** For an object: member name -> value range. */
  members?: Map<string, Range>;
}

export class JsonScanner {
  constructor(private readonly b: Buffer) {}

  skipWs(i: number): number {
    const b = this.b;
    while (i < b.length && isWs(b[i] as number)) i++;
    return i;
  }

  /** `i` at an opening quote; returns the index after the closing one. */
  skipString(i: number): number {
    const b = this.b;
    let j = i + 1;
    for (;;) {
      const q = b.indexOf(QUOTE, j);
      if (q < 0) throw new JsonScanError(i, 'unterminated string');
      // An escaped quote has an odd run of backslashes before it.
      let k = q - 1;
      while (k > i && b[k] === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 0) return q + 1;
      j = q + 1;
    }
  }

  /** `i` at the first byte of a value; returns the index after it. */
  skipValue(i: number): number {
    const b = this.b;
    if (i >= b.length) throw new JsonScanError(i, 'unexpected end of input');
    const c = b[i] as number;
    if (c === QUOTE) return this.skipString(i);
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      let j = i;
      while (j < b.length) {
        const x = b[j] as number;
        if (x === QUOTE) {
          j = this.skipString(j);
          continue;
        }
        if (x === 0x7b || x === 0x5b) depth++;
        else if (x === 0x7d || x === 0x5d) {
          depth--;
          if (depth === 0) return j + 1;
        }
        j++;
      }
      throw new JsonScanError(i, 'unclosed object or array');
    }
    // A number, true, false or null: runs to the next delimiter.
    let j = i;
    while (j < b.length) {
      const x = b[j] as number;
      if (x === 0x2c || x === 0x7d || x === 0x5d || isWs(x)) break;
      j++;
    }
    if (j === i) throw new JsonScanError(i, 'expected a JSON value');
    return j;
  }

  /**
   * Reads one top-level value at `i` (after whitespace); members are listed for an object. The
   * elements of an array member named in `arrays` go to `each` as they are found, so the bytes
   * of a 100 MB array are walked once, not once to skip it and again to split it.
   */
  topLevel(i: number, arrays?: ReadonlySet<string>, each?: (key: string, r: Range, index: number) => void): TopLevel {
    const b = this.b;
    const start = i;
    if (b[i] !== 0x7b) return { start, end: this.skipValue(i) };
    const members = new Map<string, Range>();
    let j = this.skipWs(i + 1);
    if (b[j] === 0x7d) return { start, end: j + 1, members };
    for (;;) {
      if (b[j] !== QUOTE) throw new JsonScanError(j, 'expected a member name');
      const keyEnd = this.skipString(j);
      const key = JSON.parse(b.toString('utf8', j, keyEnd)) as string;
      j = this.skipWs(keyEnd);
      if (b[j] !== 0x3a) throw new JsonScanError(j, 'expected ":"');
      const vStart = this.skipWs(j + 1);
      const vEnd =
        arrays?.has(key) && each && b[vStart] === 0x5b
          ? this.elements({ start: vStart, end: -1 }, (r, n) => each(key, r, n))
          : this.skipValue(vStart);
      members.set(key, { start: vStart, end: vEnd });
      j = this.skipWs(vEnd);
      if (b[j] === 0x2c) {
        j = this.skipWs(j + 1);
        continue;
      }
      if (b[j] === 0x7d) return { start, end: j + 1, members };
      throw new JsonScanError(j, 'expected "," or "}"');
    }
  }

  /** Calls `each` with the range of every element of the array starting at `range.start`; returns the index after it. */
  elements(range: Range, each: (r: Range, index: number) => void): number {
    const b = this.b;
    if (b[range.start] !== 0x5b) throw new JsonScanError(range.start, 'expected an array');
    let j = this.skipWs(range.start + 1);
    if (b[j] === 0x5d) return j + 1;
    for (let n = 0; ; n++) {
      const end = this.skipValue(j);
      each({ start: j, end }, n);
      j = this.skipWs(end);
      if (b[j] === 0x2c) {
        j = this.skipWs(j + 1);
        continue;
      }
      if (b[j] === 0x5d) return j + 1;
      throw new JsonScanError(j, 'expected "," or "]"');
    }
  }

  text(r: Range): string {
    return this.b.toString('utf8', r.start, r.end);
  }

  /** Every top-level value in turn: one for a JSON document, one per line for JSON lines. */
  *values(
    arrays?: ReadonlySet<string>,
    each?: (key: string, r: Range, index: number, value: number) => void,
  ): Generator<TopLevel> {
    let i = this.skipWs(0);
    for (let n = 1; i < this.b.length; n++) {
      const v = this.topLevel(i, arrays, each && ((key, r, index) => each(key, r, index, n)));
      yield v;
      i = this.skipWs(v.end);
    }
  }
}
