import { WITNESS_WORDS } from './witness-words';

export interface WitnessCode {
  /** Four words from the first four bytes of the head hash. */
  words: string[];
  /** The seq of the head entry the code names. */
  seq: number;
  head_hash: string;
  /** What is read out and written down, e.g. "amber falcon river quartz 12". */
  text: string;
}

/**
 * The code the founders write down. Four bytes of the head hash plus its seq: a later rewrite of
 * the journal up to that head would have to find a 32-bit collision at the same seq, and the
 * founders' notes sit outside the machine, so they witness the journal independently.
 */
export function witnessCode(head: { seq: number; hash: string }): WitnessCode {
  if (!/^[0-9a-f]{64}$/.test(head.hash)) throw new Error('witness code: head hash must be 64 lowercase hex characters');
  const words = [0, 1, 2, 3].map((i) => WITNESS_WORDS[parseInt(head.hash.slice(i * 2, i * 2 + 2), 16)]!);
  return { words, seq: head.seq, head_hash: head.hash, text: `${words.join(' ')} ${head.seq}` };
}

/** Checks a code a founder wrote down against a head (case and spacing forgiven). */
export function witnessCodeMatches(written: string, head: { seq: number; hash: string }): boolean {
  const norm = (s: string) => s.trim().toLowerCase().split(/[\s·/,-]+/).filter(Boolean).join(' ');
  return norm(written) === norm(witnessCode(head).text);
}
