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
 * When the recomputed hash is the line's own "hash", that string is returned instead of the new
 * one: the same value, and nothing new to keep until the verdict.
 */
export function entryLineHash(text: string, pos: number, line: EntryLine, opening: string, seqAt: number): string {
  const t = line.tail; // `,"recorded_at":"R"` (41 characters), then `,"prev_hash":"H"` (79)
  const from = line.seqEnd + 1;
  const seqFrom = pos + seqAt;
  const computed = sha256(
    'sha256',
    `${opening}${text.slice(from, t)}${text.slice(t + 41, t + 120)}${text.slice(t, t + 41)},${text.slice(seqFrom, line.seqEnd)}}`,
    'hex',
  );
  return computed === line.entry.hash ? line.entry.hash : computed;
}
