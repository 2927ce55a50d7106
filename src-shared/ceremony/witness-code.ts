import { parseDerEcdsa } from '../encoding/der-ecdsa';
import { WITNESS_WORDS } from './witness-words';

export interface WitnessCode {
  /** Four words, 32 bits. */
  words: string[];
  /** The seq of the journal head the code vouches for (the head a key tap signed). */
  seq: number;
  head_hash: string;
  /** What is read out and written down, e.g. "amber falcon river quartz 12". */
  text: string;
  /**
   * 'signature': the words come from the r value of the key's signature over that head, so each
   * candidate history costs a physical touch (about 2^32 touches to match a written code).
   * 'head': format 1, the words come from the head hash alone, which anyone can grind offline.
   */
  from: 'signature' | 'head';
}

const words = (bytes: ArrayLike<number>) => [0, 1, 2, 3].map((i) => WITNESS_WORDS[bytes[i]!]!);

/**
 * The code the founders write down, derived from the key's signature of a lock: the r of an
 * ECDSA signature is fixed by the signer's secret nonce, so a key holder who wants another
 * history to match a written code has to touch the key for every candidate, and nobody without
 * the key can produce one at all. (s is not used: (r, n - s) is the same signature respelled.)
 * Returns null when the signature is not strict DER.
 */
export function witnessFromSignature(lock: { seq: number; head_hash: string; signature: string }): WitnessCode | null {
  const parts = parseDerEcdsa(lock.signature);
  if (!parts || !/^[0-9a-f]{64}$/.test(lock.head_hash)) return null;
  const w = words(parts.r);
  return { words: w, seq: lock.seq, head_hash: lock.head_hash, text: `${w.join(' ')} ${lock.seq}`, from: 'signature' };
}

/**
 * Format 1: four bytes of a head hash plus its seq. Kept only to read ceremonies recorded before
 * signature-derived codes; it resists someone holding only the file, not the key holder.
 */
export function witnessCode(head: { seq: number; hash: string }): WitnessCode {
  if (!/^[0-9a-f]{64}$/.test(head.hash)) throw new Error('witness code: head hash must be 64 lowercase hex characters');
  const bytes = [0, 1, 2, 3].map((i) => parseInt(head.hash.slice(i * 2, i * 2 + 2), 16));
  const w = words(bytes);
  return { words: w, seq: head.seq, head_hash: head.hash, text: `${w.join(' ')} ${head.seq}`, from: 'head' };
}

/** A code as a founder wrote it, normalised (case and spacing forgiven). */
export function normaliseWitness(written: string): string {
  return written
    .trim()
    .toLowerCase()
    .split(/[\s\u00b7/,-]+/) // middle dot; \u escape keeps the verify bundle ASCII (code-cache.test.ts)
    .filter(Boolean)
    .join(' ');
}
