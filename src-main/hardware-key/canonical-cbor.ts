import { decode, encode } from 'cbor2';
import { KeyError } from './key-error';

/** Deeper than any CTAP structure; bounds the work a hostile reply can cause. */
const MAX_DEPTH = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function protocolError(reason: string): KeyError {
  return new KeyError('protocol', `The key sent malformed or non-canonical CBOR: ${reason}`);
}

/**
 * Buffers must become plain Uint8Arrays first: cbor2 picks encoders by constructor and would
 * otherwise serialise a Buffer through its toJSON as a map.
 */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [plain(k), plain(v)]));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** CTAP2 canonical CBOR: shortest forms, definite lengths, bytewise-sorted keys, no tags. */
export function encodeCanonical(value: unknown): Buffer {
  const bytes = encode(plain(value), { cde: true, rejectUndefined: true });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Returns the offset just past the CBOR item starting at `offset`, checking the structural
 * CTAP2 rules on the way (no tags, no indefinite lengths, no floats, shortest heads).
 * Used on its own to find where a COSE key inside authenticatorData ends.
 */
export function cborItemEnd(bytes: Uint8Array, offset = 0, depth = 0): number {
  if (depth > MAX_DEPTH) throw protocolError(`nested deeper than ${MAX_DEPTH}`);
  if (offset >= bytes.length) throw protocolError('truncated (item expected)');
  const initial = bytes[offset]!;
  const major = initial >> 5;
  const info = initial & 0x1f;
  let pos = offset + 1;
  let arg: number;
  if (major === 7 && info >= 24) {
    throw protocolError(info >= 25 && info <= 27 ? 'floating-point values are not used by CTAP2' : `simple value encoding ${info} is not allowed`);
  }
  if (info < 24) {
    arg = info;
  } else if (info <= 27) {
    const size = 1 << (info - 24);
    if (pos + size > bytes.length) throw protocolError('truncated (item head)');
    let big = 0n;
    for (let i = 0; i < size; i++) big = (big << 8n) | BigInt(bytes[pos + i]!);
    pos += size;
    const minimum = info === 24 ? 24n : 1n << BigInt(8 * (size >> 1));
    if (major !== 7 && big < minimum) throw protocolError('integer or length not in its shortest form');
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) {
      if (major === 0 || major === 1) return pos; // a 64-bit integer: fine, nothing follows it
      throw protocolError('length too large');
    }
    arg = Number(big);
  } else if (info === 31) {
    throw protocolError('indefinite length');
  } else {
    throw protocolError(`reserved additional information ${info}`);
  }
  switch (major) {
    case 0:
    case 1:
      return pos;
    case 2:
      if (pos + arg > bytes.length) throw protocolError('truncated (string)');
      return pos + arg;
    case 3:
      if (pos + arg > bytes.length) throw protocolError('truncated (string)');
      try {
        utf8.decode(bytes.subarray(pos, pos + arg));
      } catch {
        throw protocolError('text string is not valid UTF-8');
      }
      return pos + arg;
    case 4:
    case 5: {
      const items = major === 4 ? arg : arg * 2;
      // Every item takes at least one byte: a count larger than what is left is a lie.
      if (items > bytes.length - pos) throw protocolError('container count exceeds the data');
      for (let i = 0; i < items; i++) pos = cborItemEnd(bytes, pos, depth + 1);
      return pos;
    }
    case 6:
      throw protocolError('tags are not allowed in CTAP2');
    default:
      if (info >= 20 && info <= 22) return pos; // false, true, null
      throw protocolError(info >= 25 && info <= 27 ? 'floating-point values are not used by CTAP2' : `simple value ${info} is not allowed`);
  }
}

/**
 * Strict decode of one CTAP2 CBOR item. The structural walk rejects tags, floats, indefinite
 * lengths, non-shortest heads and bad UTF-8; cbor2 in CDE mode then rejects unsorted or duplicate
 * map keys. Together that is exactly canonical form, so re-encoding (python-fido2's strict_cbor
 * check) would add nothing but time; the fuzz test holds us to "accepted ⇒ re-encodes to the
 * same bytes". Integer-keyed and text-keyed maps both come back as Map.
 */
export function decodeCanonical(bytes: Uint8Array): unknown {
  const end = cborItemEnd(bytes, 0);
  if (end !== bytes.length) throw protocolError(`${bytes.length - end} bytes after the item`);
  try {
    return decode(bytes, { cde: true, preferMap: true, rejectUndefined: true });
  } catch (error) {
    throw protocolError((error as Error).message.split('\n')[0] ?? 'decode failed');
  }
}

/** Narrowing helpers for decoded maps: a wrong type is a protocol error with the field named. */
export function asMap(value: unknown, what: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) throw protocolError(`${what} is not a map`);
  return value;
}

export function getBytes(map: Map<unknown, unknown>, key: unknown, what: string): Buffer {
  const value = map.get(key);
  if (!(value instanceof Uint8Array)) throw protocolError(`${what} is missing or not a byte string`);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export function getOptionalBytes(map: Map<unknown, unknown>, key: unknown, what: string): Buffer | undefined {
  return map.has(key) ? getBytes(map, key, what) : undefined;
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
