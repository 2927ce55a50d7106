import { hash as sha256 } from 'node:crypto';
import type { EntryLine } from './canonical-bundle-reader';

/**
 * The chain hash of the entry line that starts at `pos` in `text`, recomputed from the line as read,
 * never taken from the file. The line is
 * `    {"ceremony_id":C,"seq":N,"kind":K,"payload":P,"recorded_at":"R","prev_hash":"H","hash":"H"}`
 * and the hashed text `{"ceremony_id":C,"kind":K,"payload":P,"prev_hash":"H","recorded_at":"R","seq":N}`
 * (entry-hash.ts): the same pieces, each checked by readEntryLine, in another order. Cutting them
 * out of the line costs far less than spelling each field again. `opening` is `{"ceremony_id":C,`,
 * the same on every line of a bundle, and `seqAt` where `"seq":` starts in a line.
 *
 * `ascii`, when given, is the text's own bytes (the text is ASCII, so character i is byte i): the
 * pieces are then copied into one reused buffer and hashed from there, which leaves nothing behind
 * but the digest, where joining string slices leaves a 400-character string per line for the
 * garbage collector, 100,000 times, while everything the verifier keeps is still young.
 *
 * When the recomputed hash is the line's own "hash", that string is returned instead of the new
 * one: the same value, and nothing new to keep until the verdict.
 */
export function entryLineHash(
  text: string,
  pos: number,
  line: EntryLine,
  opening: string,
  seqAt: number,
  ascii?: Uint8Array,
): string {
  const t = line.tail; // `,"recorded_at":"R"` (41 characters), then `,"prev_hash":"H"` (79)
  const from = line.seqEnd + 1;
  const seqFrom = pos + seqAt;
  const computed =
    ascii !== undefined && opening.length + (t - from) + 122 + (line.seqEnd - seqFrom) <= SCRATCH
      ? hashPieces(ascii, opening, from, t, seqFrom, line.seqEnd)
      : sha256(
          'sha256',
          `${opening}${text.slice(from, t)}${text.slice(t + 41, t + 120)}${text.slice(t, t + 41)},${text.slice(seqFrom, line.seqEnd)}}`,
          'hex',
        );
  return computed === line.entry.hash ? line.entry.hash : computed;
}

/** Longer lines (payloads over ~16 KB) are hashed the other way: the buffer stays small. */
const SCRATCH = 16384;
const scratch = new Uint8Array(SCRATCH);
/** Views of scratch by length, so hashing a line allocates no view either: lines of one length share one. */
const views: Array<Uint8Array | undefined> = [];
let scratchOpening = '';

/** SHA-256 of opening + bytes[from, t) + bytes[t+41, t+120) + bytes[t, t+41) + "," + bytes[seqFrom, seqEnd) + "}". */
function hashPieces(
  bytes: Uint8Array,
  opening: string,
  from: number,
  t: number,
  seqFrom: number,
  seqEnd: number,
): string {
  if (opening !== scratchOpening) {
    for (let i = 0; i < opening.length; i++) scratch[i] = opening.charCodeAt(i);
    scratchOpening = opening;
  }
  let n = opening.length;
  for (let i = from; i < t; i++) scratch[n++] = bytes[i]!;
  for (let i = t + 41; i < t + 120; i++) scratch[n++] = bytes[i]!;
  for (let i = t; i < t + 41; i++) scratch[n++] = bytes[i]!;
  scratch[n++] = 0x2c; // ,
  for (let i = seqFrom; i < seqEnd; i++) scratch[n++] = bytes[i]!;
  scratch[n++] = 0x7d; // }
  const view = (views[n] ??= new Uint8Array(scratch.buffer, 0, n));
  return sha256('sha256', view, 'hex');
}
