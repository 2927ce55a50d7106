import { copyBytes } from './bytes';
import { compareRanges, encodeError, MAX_DEPTH, MAX_UINT64 } from './canonical-cbor-common';

// CTAP2 canonical CBOR (CTAP 2.1 §8 "CTAP2 canonical CBOR encoding form"), written here rather
// than through a general CBOR library: CTAP needs a small subset (integers, byte and text strings,
// arrays, maps, booleans, null). cbor2 in strict CDE options gives the same bytes, but on Node 20
// each of its encode/decode calls merges a ~23-property option bag through a slow object-spread
// path (~12 KB), once more per map key: ~240 KB per getAssertion, whose young-generation
// collections made the tap's p99 3-9x ours (docs/benchmarks.md, hardware-key; bench/cbor2-costs.mjs).
// Tests cross-check both directions against cbor2, and the hardware-key bench re-measures it.
//
// Key order: bytewise over the encoded keys. For the shortest-form, definite-length keys CTAP uses
// this is the same order as CTAP's "major type, then shorter first, then lexical" rule, because the
// head carries the major type in its top bits and the length (or value) in shortest form.

/** An output buffer that grows by doubling; one copy at the end. */
class Writer {
  len = 0;

  constructor(public buf: Buffer) {}

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  /** Major type and argument in shortest form. */
  head(major: number, arg: number | bigint): void {
    this.reserve(9);
    const m = major << 5;
    if (typeof arg === 'bigint' && arg <= 0xffffffffn) arg = Number(arg);
    if (typeof arg === 'bigint') {
      this.buf[this.len++] = m | 27;
      this.buf.writeBigUInt64BE(arg, this.len);
      this.len += 8;
    } else if (arg < 24) {
      this.buf[this.len++] = m | arg;
    } else if (arg <= 0xff) {
      this.buf[this.len++] = m | 24;
      this.buf[this.len++] = arg;
    } else if (arg <= 0xffff) {
      this.buf[this.len++] = m | 25;
      this.buf.writeUInt16BE(arg, this.len);
      this.len += 2;
    } else if (arg <= 0xffffffff) {
      this.buf[this.len++] = m | 26;
      this.buf.writeUInt32BE(arg, this.len);
      this.len += 4;
    } else {
      this.buf[this.len++] = m | 27;
      this.buf.writeBigUInt64BE(BigInt(arg), this.len);
      this.len += 8;
    }
  }

  bytes(value: Uint8Array): void {
    this.head(2, value.byteLength);
    this.reserve(value.byteLength);
    this.buf.set(value, this.len);
    this.len += value.byteLength;
  }

  text(value: string): void {
    const n = Buffer.byteLength(value, 'utf8');
    this.head(3, n);
    this.reserve(n);
    this.len += this.buf.write(value, this.len, 'utf8');
  }

  /** The bytes written so far, as a new buffer the caller owns. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.len);
    copyBytes(this.buf, 0, this.len, out, 0);
    return out;
  }
}

/**
 * One writer reused by every encode, so an encode allocates only its result. Encoding is
 * synchronous; `scratchInUse` covers re-entry all the same (a getter on an encoded object could
 * itself encode), which gets a writer of its own.
 */
const SCRATCH_SIZE = 1024;
const scratch = new Writer(Buffer.allocUnsafeSlow(SCRATCH_SIZE));
let scratchInUse = false;

function encodeWith(lead: number | null, value: unknown, hasValue: boolean): Buffer {
  const reuse = !scratchInUse;
  const w = reuse ? scratch : new Writer(Buffer.allocUnsafe(512));
  scratchInUse = true;
  w.len = 0;
  try {
    if (lead !== null) {
      w.reserve(1);
      w.buf[w.len++] = lead;
    }
    if (hasValue) writeValue(w, value, 0);
    return w.take();
  } finally {
    if (reuse) {
      scratchInUse = false;
      // An unusually large encode does not keep its big buffer for ever.
      if (w.buf.length > 8 * SCRATCH_SIZE) w.buf = Buffer.allocUnsafeSlow(SCRATCH_SIZE);
    }
  }
}

function writeInteger(w: Writer, value: number | bigint): void {
  const big = typeof value === 'bigint';
  if (big ? value >= 0n : value >= 0) {
    if (big && value > MAX_UINT64) throw encodeError('integer above 2^64-1');
    w.head(0, value);
  } else {
    const n = big ? -1n - value : -1 - (value as number);
    if (big && (n as bigint) > MAX_UINT64) throw encodeError('integer below -2^64');
    w.head(1, n);
  }
}

function writeValue(w: Writer, value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw encodeError(`nested deeper than ${MAX_DEPTH}`);
  switch (typeof value) {
    case 'number':
      if (!Number.isSafeInteger(value)) throw encodeError(`${value} is not an integer (CTAP2 has no floats)`);
      writeInteger(w, value);
      return;
    case 'bigint':
      writeInteger(w, value);
      return;
    case 'string':
      w.text(value);
      return;
    case 'boolean':
      w.reserve(1);
      w.buf[w.len++] = value ? 0xf5 : 0xf4;
      return;
    case 'object':
      if (value === null) {
        w.reserve(1);
        w.buf[w.len++] = 0xf6;
      } else if (value instanceof Uint8Array) {
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.head(4, value.length);
        for (const item of value) writeValue(w, item, depth + 1);
      } else {
        writeMap(w, value as Map<unknown, unknown> | Record<string, unknown>, depth);
      }
      return;
    default:
      throw encodeError(`a ${typeof value} has no CTAP2 encoding`);
  }
}

/**
 * A Map, or a plain object as a text-keyed map (its own enumerable string keys, as
 * Object.entries has them). The keys are first encoded back to back in place, which counts them
 * and shows whether they already are in canonical order; they nearly always are (CTAP maps are
 * built in order, decoded maps arrive in order), and then the span is rewound and the entries
 * are written straight through, with no per-entry bookkeeping. Otherwise writeSortedMap sorts.
 */
function writeMap(w: Writer, value: Map<unknown, unknown> | Record<string, unknown>, depth: number): void {
  const start = w.len;
  const map = value instanceof Map ? value : null;
  const object = value as Record<string, unknown>;
  let count = 0;
  let ordered = true;
  let previousKey = start;
  if (map) {
    for (const key of map.keys()) {
      const from = w.len;
      writeValue(w, key, depth + 1);
      if (count++ > 0 && ordered) ordered = compareRanges(w.buf, previousKey, from, from, w.len) < 0;
      previousKey = from;
    }
  } else {
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      const from = w.len;
      w.text(key);
      if (count++ > 0 && ordered) ordered = compareRanges(w.buf, previousKey, from, from, w.len) < 0;
      previousKey = from;
    }
  }
  w.len = start;
  if (!ordered) {
    writeSortedMap(w, map ? [...map.entries()] : Object.entries(object), depth);
    return;
  }
  w.head(5, count);
  if (map) {
    for (const key of map.keys()) {
      writeValue(w, key, depth + 1);
      writeValue(w, map.get(key), depth + 1);
    }
  } else {
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      w.text(key);
      writeValue(w, object[key], depth + 1);
    }
  }
}

/**
 * The general case: keys are encoded once in place to learn their order, the span is rewound,
 * and the entries are written in that order. Keys are a few bytes each, so encoding them twice
 * is cheaper than buffering every value separately.
 */
function writeSortedMap(w: Writer, entries: Array<[unknown, unknown]>, depth: number): void {
  const start = w.len;
  const spans: Array<{ from: number; to: number; entry: [unknown, unknown] }> = [];
  for (const entry of entries) {
    const from = w.len;
    writeValue(w, entry[0], depth + 1);
    spans.push({ from, to: w.len, entry });
  }
  // Insertion sort in place: CTAP maps have a handful of keys, and Array#sort's scratch arrays
  // were the largest allocation left per message.
  const buf = w.buf;
  for (let i = 1; i < spans.length; i++) {
    const span = spans[i]!;
    let j = i - 1;
    for (; j >= 0; j--) {
      const order = compareRanges(buf, spans[j]!.from, spans[j]!.to, span.from, span.to);
      if (order === 0) throw encodeError('duplicate map key');
      if (order < 0) break;
      spans[j + 1] = spans[j]!;
    }
    spans[j + 1] = span;
  }
  w.len = start;
  w.head(5, spans.length);
  for (const { entry } of spans) {
    writeValue(w, entry[0], depth + 1);
    writeValue(w, entry[1], depth + 1);
  }
}

/** CTAP2 canonical CBOR: shortest forms, definite lengths, bytewise-sorted keys, no tags, no floats. */
export function encodeCanonical(value: unknown): Buffer {
  return encodeWith(null, value, true);
}

/**
 * A CTAP2 message: one leading byte (the command of a request, the status of a response), then
 * the canonical encoding of `body` if there is one, built in one buffer rather than concatenated.
 */
export function encodeCtapMessage(lead: number, body: Map<unknown, unknown> | null): Buffer {
  return encodeWith(lead, body, body !== null);
}
