import { copyBytes } from './bytes';
import { compareRanges, MAX_DEPTH, protocolError, utf8 } from './canonical-cbor-common';

// The strict decoder of CTAP2 canonical CBOR; the encoder and the rules they share: canonical-cbor.ts.

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
      if (info < 20 || info > 22)
        throw protocolError(info === 23 ? 'undefined is not used by CTAP2' : `simple value ${info} is not allowed`);
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
    if (arg < (info === 24 ? 24 : 2 ** (8 * (size >> 1))))
      throw protocolError('integer or length not in its shortest form');
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
        if (count * (major === 4 ? 1 : 2) > bytes.length - this.pos)
          throw protocolError('container count exceeds the data');
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
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw protocolError(`${what} is missing or not an integer`);
  return value;
}
