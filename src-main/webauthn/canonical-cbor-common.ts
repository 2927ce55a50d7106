import { KeyError } from './key-error';

// What the CTAP2 canonical CBOR encoder (canonical-cbor.ts) and decoder (canonical-cbor-decode.ts) share.

/** Deeper than any CTAP structure; bounds the work a hostile reply can cause. */
export const MAX_DEPTH = 16;
export const utf8 = new TextDecoder('utf-8', { fatal: true });
export const MAX_UINT64 = (1n << 64n) - 1n;

export function protocolError(reason: string): KeyError {
  return new KeyError('protocol', `The key sent malformed or non-canonical CBOR: ${reason}`);
}

export function encodeError(reason: string): KeyError {
  return new KeyError('protocol', `Cannot encode this request as CTAP2 CBOR: ${reason}`);
}

/** Bytewise order of two ranges (shorter first on a common prefix). */
export function compareRanges(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const n = Math.min(a1 - a0, b1 - b0);
  for (let i = 0; i < n; i++) {
    const d = bytes[a0 + i]! - bytes[b0 + i]!;
    if (d !== 0) return d;
  }
  return a1 - a0 - (b1 - b0);
}
