import { isAscii } from 'node:buffer';
import type { Bundle } from '../../src-shared/journal/types';
import { ENTRIES_CLOSE, ENTRIES_OPEN } from './bundle-text';
import { entryLinePrefix, readEntryLine, readFrame } from './canonical-bundle-reader';
import { entryLineHash } from './entry-line-hash';
import { LineHasher } from './line-hasher';
import { PlainLogLineReader } from './plain-log-line';

/** A bundle read line by line, with each entry's chain hash and, where the bytes said it, its time. */
export interface LineRead {
  ok: true;
  bundle: Bundle;
  entryHashes: string[];
  /**
   * Date.parse of each entry's recorded_at where the plain-line reader read it from the bytes as
   * a PLAIN_UTC time (plain-utc-bytes.ts), NaN elsewhere: the rules then need not read those
   * 100,000 times again from their strings.
   */
  recordedMs: number[];
}

/**
 * readCanonicalBundle for a file's bytes (already checked to be UTF-8), with the same result
 * (test/main/evidence/canonical-bundle-bytes.test.ts), plus each entry's chain hash, recomputed
 * from the line as read (entry-line-hash.ts), never taken from the file: the chain check compares
 * it with the line's own "hash".
 *
 * The file is never decoded whole. In a file of ASCII bytes only (an honest bundle nearly always
 * is: export writes no escape, but operator text may hold any character), the plain running-log
 * lines, nearly every line of a long ceremony, are read and hashed from the bytes themselves
 * (plain-log-line.ts); every other line is found in the bytes, decoded alone and read by
 * readEntryLine.
 */
export function readCanonicalBundleBytes(bytes: Buffer, name: string, ascii = isAscii(bytes)): LineRead | undefined {
  return readLines(bytes, name, ascii);
}

/** Every line decoded and read by readEntryLine. Exported for the tests that hold both ways equal. */
export function readEntryLinesApart(bytes: Buffer, name: string): LineRead | undefined {
  return readLines(bytes, name, false);
}

function readLines(bytes: Buffer, name: string, plainLines: boolean): LineRead | undefined {
  const open = bytes.indexOf(ENTRIES_OPEN);
  const close = bytes.lastIndexOf(ENTRIES_CLOSE);
  if (open < 0 || close <= open + ENTRIES_OPEN.length) return undefined;
  try {
    const bundle = readFrame(bytes.toString('utf8', 0, open), bytes.toString('utf8', close), name);
    if (bundle === undefined) return undefined;
    const entries = bundle.entries;
    const prefix = entryLinePrefix(bundle.ceremony_id);
    const seqAt = prefix.length - 6; // `"seq":`
    const opening = prefix.slice(4, seqAt);
    const plainLog = plainLines
      ? new PlainLogLineReader(bytes, new LineHasher(bytes, opening), bundle.ceremony_id, prefix)
      : undefined;
    const entryHashes: string[] = [];
    const recordedMs: number[] = [];
    let lastHash = '';
    let lastHashAt = -1; // where lastHash's 64 bytes are in the file
    for (let pos = open + ENTRIES_OPEN.length, seq = 0; ; seq++) {
      // A plain running-log line says where it ends; it is taken when `,\n` or the entries' close follows.
      const plain = plainLog?.read(pos, close, seq, lastHash, lastHashAt);
      if (plain) {
        const end = plainLog!.end;
        if (end === close || (bytes[end] === 44 /* , */ && bytes[end + 1] === 10)) {
          // Read and hashed as readEntryLine and entryLineHash would: the hash is the line's own.
          entries.push(plain);
          entryHashes.push(plain.hash);
          recordedMs.push(plainLog!.recordedMs);
          if (end === close) return { ok: true, bundle, entryHashes, recordedMs };
          lastHash = plain.hash;
          lastHashAt = end - 66;
          pos = end + 2;
          continue;
        }
      }
      const nl = bytes.indexOf(10 /* \n */, pos);
      const last = nl === close;
      if (!last && bytes[nl - 1] !== 44 /* , */) return undefined;
      const end = last ? nl : nl - 1;
      const text = bytes.toString('utf8', pos, end);
      const line = readEntryLine(text, 0, text.length, seq, prefix, bundle.ceremony_id, lastHash);
      if (line === undefined) return undefined;
      entries.push(line.entry);
      entryHashes.push(entryLineHash(text, 0, line, opening, seqAt));
      recordedMs.push(NaN);
      if (last) return { ok: true, bundle, entryHashes, recordedMs };
      lastHash = line.entry.hash;
      lastHashAt = end - 66; // the line ends `"hash":"H"}`: in bytes, whatever it holds before
      pos = nl + 1;
    }
  } catch {
    // Not JSON, not a bundle, nested too deeply: the long way says which.
    return undefined;
  }
}
