import { decodeBase64 } from './base64';

/** The r and s integers of a DER ECDSA-Sig-Value, each as 32 big-endian bytes (P-256). */
export interface EcdsaSignatureParts {
  r: Uint8Array;
  s: Uint8Array;
}

/** P-256 group order n, big-endian. */
const N = hexBytes('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/**
 * Note that (r, n - s) verifies wherever (r, s) does, so a signature is never an identifier
 * (anyone can respell it); r alone is fixed by the signer's nonce.
 *
 * Parses `SEQUENCE { INTEGER r, INTEGER s }` in strict DER (minimal lengths, minimal integers,
 * nothing after it). Returns null for anything else: a signature spelled two ways would be two
 * identifiers for one tap.
 */
export function parseDerEcdsa(base64: string): EcdsaSignatureParts | null {
  const der = decodeBase64(base64);
  if (!der || der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2 || der[1]! >= 0x80) return null;
  let at = 2;
  const readInt = (): Uint8Array | null => {
    if (der[at] !== 0x02) return null;
    const len = der[at + 1]!;
    if (len === 0 || len > 33 || at + 2 + len > der.length) return null;
    const bytes = der.subarray(at + 2, at + 2 + len);
    if (bytes[0]! & 0x80) return null; // negative
    if (len > 1 && bytes[0] === 0 && !(bytes[1]! & 0x80)) return null; // not minimal
    at += 2 + len;
    const value = bytes[0] === 0 ? bytes.subarray(1) : bytes;
    if (value.length > 32) return null;
    const out = new Uint8Array(32);
    out.set(value, 32 - value.length);
    return out;
  };
  const r = readInt();
  const s = readInt();
  if (!r || !s || at !== der.length) return null;
  if (isZero(r) || isZero(s) || compare(r, N) >= 0 || compare(s, N) >= 0) return null;
  return { r, s };
}

function isZero(a: Uint8Array): boolean {
  return a.every((b) => b === 0);
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

/**
 * The low-S spelling of a signature (s <= n/2), DER, base64. Authenticators return either
 * spelling; the journal records only this one, so nobody holding the file can respell a recorded
 * signature and get another history hash that still verifies. Null when not strict DER.
 */
export function lowSSignature(base64: string): string | null {
  const parts = parseDerEcdsa(base64);
  if (!parts) return null;
  const s = toBigInt(parts.s);
  const low = s > N_BIG / 2n ? N_BIG - s : s;
  return encodeDer(toBigInt(parts.r), low);
}

/** Whether a signature is strict DER and already in its low-S spelling. */
export function isLowSSignature(base64: string): boolean {
  return lowSSignature(base64) === base64;
}

const N_BIG = toBigInt(N);

function toBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function encodeDer(r: bigint, s: bigint): string {
  const int = (v: bigint): number[] => {
    const bytes: number[] = [];
    for (let x = v; x > 0n; x >>= 8n) bytes.unshift(Number(x & 0xffn));
    if (bytes.length === 0) bytes.push(0);
    if (bytes[0]! & 0x80) bytes.unshift(0);
    return [0x02, bytes.length, ...bytes];
  };
  const body = [...int(r), ...int(s)];
  return encodeBase64(Uint8Array.from([0x30, body.length, ...body]));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}
