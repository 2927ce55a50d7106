import { isAscii } from 'node:buffer';
import type { ReadFacts } from '../../src-shared/ceremony/history-rules';
import type { Bundle } from '../../src-shared/journal/types';
import { ENTRIES_CLOSE, ENTRIES_OPEN } from './bundle-text';
import { entryLinePrefix, readEntryLine, readFrame } from './canonical-bundle-reader';
import { entryLineHash } from './entry-line-hash';
import { LineHasher } from './line-hasher';
import { PlainLogLineReader } from './plain-log-line';

/**
 * No line either reader accepts is shorter: from `,"recorded_at":` to its end alone is 195 bytes.
 * It only bounds the room made for the lists up front.
 */
const SHORTEST_LINE = 200;

/** A bundle read line by line, with each entry's chain hash and what the reader found on the way. */
export interface LineRead extends Required<ReadFacts> {
  ok: true;
  bundle: Bundle;
  entryHashes: string[];
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
    // The three lists are made at their final size, from the head's seq: grown by push to 100,000
    // entries, each is moved about twenty times to a larger store, ~7 MB of stores for the three.
    // A hostile head only sets how much room is made, never more than the file could hold.
    const room = Math.min(bundle.head.seq + 1, Math.floor((close - open) / SHORTEST_LINE));
    const entries: Bundle['entries'] = (bundle.entries = new Array(room));
    const entryHashes: string[] = new Array(room);
    const recordedMs: number[] = new Array(room);
    // A line past its room (the head understates the lines) is stored nowhere: 0, not vouched for.
    const plainLogLines = new Uint8Array(room);
    /** The lists as read, when the line of `seq` was the last. */
    const read = (seq: number): LineRead => {
      const n = seq + 1;
      entries.length = entryHashes.length = recordedMs.length = n;
      const built = n <= room ? plainLogLines.subarray(0, n) : new Uint8Array(n);
      if (n > room) built.set(plainLogLines);
      return { ok: true, bundle, entryHashes, recordedMs, plainLogLines: built };
    };
    const prefix = entryLinePrefix(bundle.ceremony_id);
    const seqAt = prefix.length - 6; // `"seq":`
    const opening = prefix.slice(4, seqAt);
    const plainLog = plainLines
      ? new PlainLogLineReader(bytes, new LineHasher(bytes, opening), bundle.ceremony_id, prefix)
      : undefined;
    let lastHash = '';
    let lastHashAt = -1; // where lastHash's 64 bytes are in the file
    for (let pos = open + ENTRIES_OPEN.length, seq = 0; ; seq++) {
      // A plain running-log line says where it ends; it is taken when `,\n` or the entries' close follows.
      const plain = plainLog?.read(pos, close, seq, lastHash, lastHashAt);
      if (plain) {
        const end = plainLog!.end;
        if (end === close || (bytes[end] === 44 /* , */ && bytes[end + 1] === 10)) {
          // Read and hashed as readEntryLine and entryLineHash would: the hash is the line's own.
          entries[seq] = plain;
          entryHashes[seq] = plain.hash;
          recordedMs[seq] = plainLog!.recordedMs;
          plainLogLines[seq] = 1;
          if (end === close) return read(seq);
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
      entries[seq] = line.entry;
      entryHashes[seq] = entryLineHash(text, 0, line, opening, seqAt);
      recordedMs[seq] = NaN;
      if (last) return read(seq);
      lastHash = line.entry.hash;
      lastHashAt = end - 66; // the line ends `"hash":"H"}`: in bytes, whatever it holds before
      pos = nl + 1;
    }
  } catch {
    // Not JSON, not a bundle, nested too deeply: the long way says which.
    return undefined;
  }
}
