/**
 * Copies source[from, to) into target at `at`. A plain loop on purpose: Buffer#copy and
 * TypedArray#set over a subarray both allocate a view object per partial copy, and the CTAPHID
 * and CBOR hot paths copy a few dozen bytes at a time, where the view costs more than the copy.
 */
export function copyBytes(source: Uint8Array, from: number, to: number, target: Uint8Array, at: number): void {
  for (let i = from; i < to; i++) target[at++] = source[i]!;
}

/** Big-endian uint32 at `offset`, without wrapping the bytes in a Buffer view. */
export function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}
