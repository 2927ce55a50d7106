import { isAscii } from 'node:buffer';
import type { Bundle } from '../../src-shared/journal/types';
import { ENTRIES_CLOSE, ENTRIES_OPEN } from './bundle-text';
import { entryLinePrefix, readCanonicalBundle, readEntryLine, readFrame } from './canonical-bundle-reader';
import { entryLineHash } from './entry-line-hash';

/**
 * readCanonicalBundle for a file's bytes (already checked to be UTF-8), with the same result
 * (test/main/evidence/canonical-bundle-bytes.test.ts), plus each entry's chain hash, recomputed
 * from the line as read (entry-line-hash.ts), never taken from the file: the chain check compares
 * it with the line's own "hash".
 *
 * A file of ASCII bytes only (an honest bundle nearly always is: export writes no escape, but
 * operator text may hold any character) is decoded once as Latin-1, which for ASCII is the same
 * text as UTF-8 at a copy's cost, into one string that the text reader reads in place: the pieces
 * it keeps are slices of that string, not 100,000 decoded lines for the garbage collector to move.
 * Any other file is never decoded whole: each entry line is found in the bytes, decoded alone and
 * read by the same readEntryLine.
 */
export function readCanonicalBundleBytes(
  bytes: Buffer,
  name: string,
  ascii = isAscii(bytes),
): { ok: true; bundle: Bundle; entryHashes: string[] } | undefined {
  return ascii ? readCanonicalBundle(bytes.toString('latin1'), name, bytes) : readEntryLinesApart(bytes, name);
}

/** The reader of any UTF-8 file: each entry line decoded alone. Exported for the test that holds both ways equal. */
export function readEntryLinesApart(
  bytes: Buffer,
  name: string,
): { ok: true; bundle: Bundle; entryHashes: string[] } | undefined {
  const open = bytes.indexOf(ENTRIES_OPEN);
  const close = bytes.lastIndexOf(ENTRIES_CLOSE);
  if (open < 0 || close <= open + ENTRIES_OPEN.length) return undefined;
  try {
    const bundle = readFrame(bytes.toString('utf8', 0, open), bytes.toString('utf8', close), name);
    if (bundle === undefined) return undefined;
    const prefix = entryLinePrefix(bundle.ceremony_id);
    const seqAt = prefix.length - 6; // `"seq":`
    const opening = prefix.slice(4, seqAt);
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
      entryHashes.push(entryLineHash(text, 0, line, opening, seqAt));
      if (last) return { ok: true, bundle, entryHashes };
      lastHash = line.entry.hash;
      pos = nl + 1;
    }
  } catch {
    // Not JSON, not a bundle, nested too deeply: the long way says which.
    return undefined;
  }
}
