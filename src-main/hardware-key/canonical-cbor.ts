import { copyBytes } from './bytes';
import { KeyError } from './key-error';

// CTAP2 canonical CBOR (CTAP 2.1 §8 "CTAP2 canonical CBOR encoding form"), written here rather
// than through a general CBOR library: CTAP needs a small subset (integers, byte and text strings,
// arrays, maps, booleans, null), and a general encoder that builds a scratch writer per map key
// to sort keys made every getAssertion allocate about 250 KB, whose minor GCs were the p99 of a
// tap. Tests cross-check both directions against cbor2 in CDE mode.
//
// Key order: bytewise over the encoded keys. For the shortest-form, definite-length keys CTAP uses
// this is the same order as CTAP's "major type, then shorter first, then lexical" rule, because the
// head carries the major type in its top bits and the length (or value) in shortest form.

/** Deeper than any CTAP structure; bounds the work a hostile reply can cause. */
const MAX_DEPTH = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_UINT64 = (1n << 64n) - 1n;

function protocolError(reason: string): KeyError {
  return new KeyError('protocol', `The key sent malformed or non-canonical CBOR: ${reason}`);
}

function encodeError(reason: string): KeyError {
  return new KeyError('protocol', `Cannot encode this request as CTAP2 CBOR: ${reason}`);
}

/** Bytewise order of two ranges (shorter first on a common prefix). */
function compareRanges(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let i = 0; i < n; i++) {
    const d = bytes[a0 + i]! - bytes[b0 + i]!;
    if (d !== 0) return d;
  }
  return a1 - a0 - (b1 - b0);
}

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

/**
 * A strict one-pass reader: no tags, no floats, no undefined, no indefinite lengths, shortest
 * heads, valid UTF-8, map keys in strictly increasing bytewise order (so no duplicates). It keeps
 * its position and the current head in fields rather than returning small objects per item.
 * With `build` false it only finds the end. Byte strings come back as copies (Buffers when the
 * input is a Buffer), maps as Map.
 */
class Reader {
  pos: number;
  private major = 0;
  private info = 0;
  private arg: number | bigint = 0;
  private readonly isBuffer: boolean;

  constructor(
    private readonly bytes: Uint8Array,
    offset: number,
    private readonly build: boolean,
  ) {
    this.pos = offset;
    this.isBuffer = Buffer.isBuffer(bytes);
  }

  /** Reads the head at `pos` into major/info/arg and moves `pos` to the item's content. */
  private head(): void {
    const bytes = this.bytes;
    if (this.pos >= bytes.length) throw protocolError('truncated (item expected)');
    const initial = bytes[this.pos++]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    this.major = major;
    this.info = info;
    if (major === 7) {
      if (info >= 25 && info <= 27) throw protocolError('floating-point values are not used by CTAP2');
      if (info < 20 || info > 22) throw protocolError(info === 23 ? 'undefined is not used by CTAP2' : `simple value ${info} is not allowed`);
      this.arg = info;
      return;
    }
    if (info < 24) {
      this.arg = info;
      return;
    }
    if (info === 31) throw protocolError('indefinite length');
    if (info > 27) throw protocolError(`reserved additional information ${info}`);
    const size = 1 << (info - 24);
    if (this.pos + size > bytes.length) throw protocolError('truncated (item head)');
    let arg: number | bigint;
    if (size === 8) {
      let big = 0n;
      for (let i = 0; i < 8; i++) big = (big << 8n) | BigInt(bytes[this.pos + i]!);
      arg = big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    } else {
      arg = 0;
      for (let i = 0; i < size; i++) arg = arg * 256 + bytes[this.pos + i]!;
    }
    if (arg < (info === 24 ? 24 : 2 ** (8 * (size >> 1)))) throw protocolError('integer or length not in its shortest form');
    this.pos += size;
    this.arg = arg;
  }

  item(depth: number): unknown {
    if (depth > MAX_DEPTH) throw protocolError(`nested deeper than ${MAX_DEPTH}`);
    this.head();
    const { major, arg, bytes } = this;
    switch (major) {
      case 0:
        return arg;
      case 1:
        return typeof arg === 'bigint' ? -1n - arg : -1 - arg;
      case 2:
      case 3: {
        if (typeof arg === 'bigint' || this.pos + arg > bytes.length) throw protocolError('truncated (string)');
        const from = this.pos;
        this.pos += arg;
        if (major === 2) return this.build ? this.byteString(from, this.pos) : undefined;
        return this.textString(from, this.pos);
      }
      case 4:
      case 5: {
        const count = typeof arg === 'bigint' ? Infinity : arg;
        // Every item takes at least one byte: a count larger than what is left is a lie.
        if (count * (major === 4 ? 1 : 2) > bytes.length - this.pos) throw protocolError('container count exceeds the data');
        if (major === 4) {
          // Sized up front (the count was checked against the data left): [] grows to 17 slots at once.
          const items: unknown[] | undefined = this.build ? new Array<unknown>(count) : undefined;
          for (let i = 0; i < count; i++) {
            const value = this.item(depth + 1);
            if (items) items[i] = value;
          }
          return items;
        }
        const map = this.build ? new Map<unknown, unknown>() : undefined;
        let previousKey = -1;
        let previousEnd = -1;
        for (let i = 0; i < count; i++) {
          const keyAt = this.pos;
          const key = this.item(depth + 1);
          if (previousKey >= 0) {
            const order = compareRanges(bytes, previousKey, previousEnd, keyAt, this.pos);
            if (order === 0) throw protocolError('duplicate map key');
            if (order > 0) throw protocolError('map keys are not in canonical order');
          }
          previousKey = keyAt;
          previousEnd = this.pos;
          const value = this.item(depth + 1);
          map?.set(key, value);
        }
        return map;
      }
      case 6:
        throw protocolError('tags are not allowed in CTAP2');
      default:
        return this.info === 20 ? false : this.info === 21 ? true : null;
    }
  }

  /** A copy of bytes[from, to): from Node's buffer pool for Buffer input, else the input's own type. */
  private byteString(from: number, to: number): Uint8Array {
    if (!this.isBuffer) return Uint8Array.prototype.slice.call(this.bytes, from, to);
    const out = Buffer.allocUnsafe(to - from);
    copyBytes(this.bytes, from, to, out, 0);
    return out;
  }

  private textString(from: number, to: number): string {
    const bytes = this.bytes;
    // ASCII (all CTAP keys and identifiers) decodes the same as UTF-8 and cannot be invalid, so
    // a Buffer is read in place; anything else goes through the strict UTF-8 decoder.
    let ascii = this.isBuffer;
    for (let i = from; ascii && i < to; i++) ascii = bytes[i]! < 0x80;
    if (ascii) return (bytes as Buffer).toString('latin1', from, to);
    try {
      return utf8.decode(bytes.subarray(from, to));
    } catch {
      throw protocolError('text string is not valid UTF-8');
    }
  }
}

/**
 * Returns the offset just past the CBOR item starting at `offset`, checking the same CTAP2 rules
 * as decodeCanonical. Used on its own to find where a COSE key inside authenticatorData ends.
 */
export function cborItemEnd(bytes: Uint8Array, offset = 0): number {
  const reader = new Reader(bytes, offset, false);
  reader.item(0);
  return reader.pos;
}

/**
 * Strict decode of one CTAP2 CBOR item: exactly canonical form, so re-encoding (python-fido2's
 * strict_cbor check) would add nothing but time; the fuzz test holds us to "accepted ⇒ re-encodes
 * to the same bytes". Integer-keyed and text-keyed maps both come back as Map. The item starts at
 * `offset` (after a CTAP status byte, say) and must end exactly at the end of `bytes`.
 */
export function decodeCanonical(bytes: Uint8Array, offset = 0): unknown {
  const reader = new Reader(bytes, offset, true);
  const value = reader.item(0);
  if (reader.pos !== bytes.length) throw protocolError(`${bytes.length - reader.pos} bytes after the item`);
  return value;
}

/** Narrowing helpers for decoded maps: a wrong type is a protocol error with the field named. */
export function asMap(value: unknown, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) throw protocolError(`${what} is not a map`);
  return value;
}

export function getBytes(map: Map<unknown, unknown>, key: unknown, what: string): Buffer {
  const value = map.get(key);
  if (!(value instanceof Uint8Array)) throw protocolError(`${what} is missing or not a byte string`);
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export function getText(map: Map<unknown, unknown>, key: unknown, what: string): string {
  const value = map.get(key);
  if (typeof value !== 'string') throw protocolError(`${what} is missing or not text`);
  return value;
}

export function getInt(map: Map<unknown, unknown>, key: unknown, what: string): number {
  const value = map.get(key);
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw protocolError(`${what} is missing or not an integer`);
  return value;
}
