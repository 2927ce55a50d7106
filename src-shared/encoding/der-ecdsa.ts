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
