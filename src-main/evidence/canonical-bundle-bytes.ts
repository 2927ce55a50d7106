import { hash as sha256 } from 'node:crypto';
import type { Bundle } from '../../src-shared/journal/types';
import { ENTRIES_CLOSE, ENTRIES_OPEN } from './bundle-text';
import { entryLinePrefix, readEntryLine, readFrame, type EntryLine } from './canonical-bundle-reader';

/**
 * readCanonicalBundle for a file's bytes (already checked to be UTF-8), without decoding the whole
 * 40 MB file into one string: each entry line is found in the bytes, decoded alone and read by the
 * same readEntryLine, so this accepts exactly the files that reader accepts, with the same result
 * (test/main/evidence/canonical-bundle-bytes.test.ts).
 *
 * It also returns each entry's chain hash, recomputed from the line as read (chainHash below),
 * never taken from the file: the chain check compares it with the line's own "hash".
 */
export function readCanonicalBundleBytes(
  bytes: Buffer,
  name: string,
): { ok: true; bundle: Bundle; payloadTexts: string[]; entryHashes: string[] } | undefined {
  const open = bytes.indexOf(ENTRIES_OPEN);
  const close = bytes.lastIndexOf(ENTRIES_CLOSE);
  if (open < 0 || close <= open + ENTRIES_OPEN.length) return undefined;
  try {
    const bundle = readFrame(bytes.toString('utf8', 0, open), bytes.toString('utf8', close), name);
    if (bundle === undefined) return undefined;
    const prefix = entryLinePrefix(bundle.ceremony_id);
    const payloadTexts: string[] = [];
    const entryHashes: string[] = [];
    let lastHash = '';
    for (let pos = open + ENTRIES_OPEN.length, seq = 0; ; seq++) {
      const nl = bytes.indexOf(10 /* \n */, pos);
      const last = nl === close;
      if (!last && bytes[nl - 1] !== 44 /* , */) return undefined;
      const end = last ? nl : nl - 1;
      const text = bytes.toString('utf8', pos, end);
      const line = readEntryLine(text, 0, text.length, seq, prefix, bundle.ceremony_id, lastHash);
      if (line === undefined) return undefined;
      bundle.entries.push(line.entry);
      payloadTexts.push(line.payloadText);
      entryHashes.push(chainHash(text, line, prefix.length));
      if (last) return { ok: true, bundle, payloadTexts, entryHashes };
      lastHash = line.entry.hash;
      pos = nl + 1;
    }
  } catch {
    // Not JSON, not a bundle, nested too deeply: the long way says which.
    return undefined;
  }
}

/**
 * The chain hash of an entry line read from `0`. The line is
 * `    {"ceremony_id":C,"seq":N,"kind":K,"payload":P,"recorded_at":"R","prev_hash":"H","hash":"H"}`
 * and the hashed text `{"ceremony_id":C,"kind":K,"payload":P,"prev_hash":"H","recorded_at":"R","seq":N}`
 * (entry-hash.ts): the same pieces, each checked by readEntryLine, in another order. Cutting them
 * out of the line costs far less than spelling each field again.
 */
function chainHash(text: string, line: EntryLine, prefixLength: number): string {
  const seqAt = prefixLength - 6; // `"seq":`
  const t = line.tail; // `,"recorded_at":"R"` (41 characters), then `,"prev_hash":"H"` (79)
  return sha256(
    'sha256',
    `${text.slice(4, seqAt)}${text.slice(line.seqEnd + 1, t)}${text.slice(t + 41, t + 120)}${text.slice(t, t + 41)},${text.slice(seqAt, line.seqEnd)}}`,
    'hex',
  );
}
