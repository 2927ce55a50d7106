import { beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalize } from '../../../src-shared/canonical-json';
import type { Bundle, JournalEntry } from '../../../src-shared/journal/types';
import { bundleText, ENTRIES_CLOSE, ENTRIES_OPEN } from '../../../src-main/evidence/bundle-text';
import { readCanonicalBundleBytes } from '../../../src-main/evidence/canonical-bundle-bytes';
import { entryLinePrefix, readEntryLine } from '../../../src-main/evidence/canonical-bundle-reader';
import { entryLineHash } from '../../../src-main/evidence/entry-line-hash';
import { entryHash } from '../../../src-main/journal/entry-hash';
import { LineHasher } from '../../../src-main/evidence/line-hasher';
import { notPlain, PlainLogLineReader } from '../../../src-main/evidence/plain-log-line';
import { resign } from '../../support/forger';
import type { Genuine } from './fixture';
import { loadGenuine, useGenuineCeremony } from './forge-helpers';
import { expectSameAsLongPath, expectSameVerdict, rechainText } from './fast-path-oracle';

/*
 * The reader of plain running-log lines (plain-log-line.ts) and the hasher that moves a window
 * over the file (line-hasher.ts), line by line against readEntryLine and the string way of hashing
 * (entryLineHash without a hasher), and whole files against the strict long path.
 */

let g: Genuine;
useGenuineCeremony((genuine) => (g = genuine));

const AT = '2026-11-20T13:12:59.999Z';

/** The genuine history with `count` running-log lines before the minimal action, re-signed. */
function withLog(count: number): Bundle {
  const b = loadGenuine(g);
  const where = b.entries.findIndex((e) => e.kind === 'minimal_action_done');
  const lines = Array.from({ length: count }, (_, i) => ({
    ...b.entries[where - 1]!,
    kind: 'action_logged',
    recorded_at: AT,
    payload: { logged_at: AT, parsed: [], text: `ran: aws s3 ls s3://bucket-${i}`, warnings: [] },
  }));
  b.entries.splice(where, 0, ...lines);
  return resign(b, g.recorded.key);
}

/** The running-log line the plain reader reads: logged when recorded, nothing parsed, no warning. */
const isTemplate = (e: JournalEntry) =>
  e.kind === 'action_logged' &&
  e.payload.logged_at === e.recorded_at &&
  (e.payload.parsed as unknown[]).length === 0 &&
  (e.payload.warnings as unknown[]).length === 0;

const textOf = (b: Bundle) =>
  bundleText(
    b,
    b.entries.map((e) => canonicalize(e.payload)),
  );

/**
 * Reads every entry line of an ASCII `text` both ways, with a hasher of window `window`: wherever
 * the plain reader reads a line, its entry and end are readEntryLine's and its hash the string way's.
 * Returns how many lines the plain reader read.
 */
function readBothWays(text: string, ceremonyId: string, window?: number): number {
  const bytes = Buffer.from(text, 'latin1');
  const prefix = entryLinePrefix(ceremonyId);
  const seqAt = prefix.length - 6;
  const opening = prefix.slice(4, seqAt);
  const hasher = new LineHasher(bytes, opening, window);
  const plain = new PlainLogLineReader(bytes, hasher, ceremonyId, prefix);
  let read = 0;
  let lastHash = '';
  let lastHashAt = -1;
  const close = text.indexOf(ENTRIES_CLOSE);
  for (let pos = text.indexOf(ENTRIES_OPEN) + ENTRIES_OPEN.length, seq = 0; pos < close; seq++) {
    const nl = text.indexOf('\n', pos);
    const end = nl === close ? nl : nl - 1;
    const long = readEntryLine(text, pos, end, seq, prefix, ceremonyId, lastHash)!;
    expect(long, `seq ${seq}`).toBeDefined();
    const fast = plain.read(pos, close, seq, lastHash, lastHashAt);
    if (fast) {
      read += 1;
      expect(fast, `seq ${seq}`).toStrictEqual(long.entry);
      expect(plain.end, `seq ${seq}`).toBe(end);
      expect(fast.hash).toBe(entryLineHash(text, pos, long, opening, seqAt));
    }
    // The hasher itself, on every line: the string way's hash, or none for a line wider than its window.
    const t = long.tail;
    const hashed = hasher.hash(long.seqEnd + 1, t, pos + seqAt, long.seqEnd);
    if (hashed === undefined) expect(t + 120 - (pos + seqAt), `seq ${seq}`).toBeGreaterThan(window ?? 1 << 20);
    else expect(hashed, `seq ${seq}`).toBe(entryLineHash(text, pos, long, opening, seqAt));
    lastHash = long.entry.hash;
    lastHashAt = long.tail + 129;
    pos = nl + 1;
  }
  return read;
}

describe('the plain running-log line reader', () => {
  let b: Bundle;
  let text: string;
  beforeAll(() => {
    b = withLog(40);
    text = textOf(b);
  });

  it('reads every plain running-log line as readEntryLine does, and no other line', () => {
    const plain = b.entries.filter(isTemplate);
    expect(plain.length).toBeGreaterThanOrEqual(40);
    expect(readBothWays(text, b.ceremony_id)).toBe(plain.length);
  });

  it('in a whole file, reads every plain line itself, also the first after a line read the long way', () => {
    // The reader declines a line whose previous hash it cannot find in the file; after a line
    // decoded apart it must still be pointed at that line's hash, or every plain line after an
    // other kind would quietly go the long way.
    const read = vi.spyOn(PlainLogLineReader.prototype, 'read');
    try {
      const parsed = readCanonicalBundleBytes(Buffer.from(text, 'latin1'), 'b')!;
      expect(parsed.bundle.entries).toHaveLength(b.entries.length);
      const taken = read.mock.results.filter((r) => r.value !== undefined).length;
      expect(taken).toBe(b.entries.filter(isTemplate).length);
    } finally {
      read.mockRestore();
    }
  });

  it('hashes through windows smaller than a line, lines on their edges, and a file offset', () => {
    // Each window size puts different lines across its edge; one smaller than any line hashes none.
    for (const window of [300, 420, 512, 777, 1000, 4096]) readBothWays(text, b.ceremony_id, window);
    const bytes = Buffer.from(text, 'latin1');
    const hasher = new LineHasher(bytes, '{}', 64);
    expect(hasher.hash(10, 300, 0, 5)).toBeUndefined();
  });

  it('hashes lines in any order, the window moving back as well as forward', () => {
    const bytes = Buffer.from(text, 'latin1');
    const prefix = entryLinePrefix(b.ceremony_id);
    const seqAt = prefix.length - 6;
    const opening = prefix.slice(4, seqAt);
    const lines: Array<{ pos: number; line: NonNullable<ReturnType<typeof readEntryLine>> }> = [];
    let lastHash = '';
    const close = text.indexOf(ENTRIES_CLOSE);
    for (let pos = text.indexOf(ENTRIES_OPEN) + ENTRIES_OPEN.length, seq = 0; pos < close; seq++) {
      const nl = text.indexOf('\n', pos);
      const line = readEntryLine(text, pos, nl === close ? nl : nl - 1, seq, prefix, b.ceremony_id, lastHash)!;
      lines.push({ pos, line });
      lastHash = line.entry.hash;
      pos = nl + 1;
    }
    const hasher = new LineHasher(bytes, opening, 2048);
    for (const { pos, line } of [...lines].reverse()) {
      const hashed = hasher.hash(line.seqEnd + 1, line.tail, pos + seqAt, line.seqEnd);
      if (hashed !== undefined) expect(hashed).toBe(entryLineHash(text, pos, line, opening, seqAt));
    }
  });

  it('a line whose "hash" differs from its recomputed hash in any one character is not read as its own', () => {
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes('"text":"ran: aws s3 ls s3://bucket-7"'));
    const at = lines[i]!.lastIndexOf('"hash":"') + 8;
    const plain = b.entries.filter(isTemplate).length;
    for (let k = 0; k < 64; k++) {
      const edited = [...lines];
      const c = edited[i]![at + k]!;
      edited[i] = `${edited[i]!.slice(0, at + k)}${c === '0' ? '1' : '0'}${edited[i]!.slice(at + k + 1)}`;
      // Neither that line nor the next, whose prev_hash is the hash as it was, is the plain reader's.
      expect(readBothWays(edited.join('\n'), b.ceremony_id), `hash character ${k}`).toBe(plain - 2);
    }
  });

  it("a plain line followed by a comma and a space, not a newline, is the long path's", () => {
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes('"text":"ran: aws s3 ls s3://bucket-7"'));
    const joined = [...lines.slice(0, i), `${lines[i]} ${lines[i + 1]}`, ...lines.slice(i + 2)].join('\n');
    const bytes = Buffer.from(rechainText(joined), 'latin1');
    expect(expectSameAsLongPath(bytes, 'space for newline')).toBe(false);
    expect(expectSameVerdict(bytes, g, 'space for newline')).toMatchObject({ verdict: 'TAMPERED' });
  });

  it('a running-log line whose logged_at is not its recorded_at is read the long way, the same', () => {
    const other = withLog(3);
    const first = other.entries.findIndex((e) => e.kind === 'action_logged');
    other.entries[first]!.payload.logged_at = '2026-11-20T13:12:58.000Z';
    const t = textOf(resign(other, g.recorded.key));
    expect(readBothWays(t, other.ceremony_id)).toBe(other.entries.filter(isTemplate).length);
    expect(expectSameAsLongPath(Buffer.from(t, 'latin1'), 'logged_at differs')).toBe(true);
  });
});

describe('the four-byte test for what a plain JSON string cannot hold', () => {
  it('finds a control character, a quote or a backslash in any place of a word, and nothing else', () => {
    // Every ASCII byte in every place, beside neighbours that make borrows and near misses.
    const around = [0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x61, 0x7f];
    const bad = (c: number) => c < 0x20 || c === 0x22 || c === 0x5c;
    let checked = 0;
    for (let place = 0; place < 4; place++)
      for (let c = 0; c < 0x80; c++)
        for (const x of around)
          for (const y of around) {
            const bytes = [x, y, x ^ y ^ 0x40, c];
            [bytes[place], bytes[3]] = [bytes[3]!, bytes[place]!];
            const word = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24);
            expect(notPlain(word), bytes.join(',')).toBe(bytes.some(bad));
            checked += 1;
          }
    expect(checked).toBe(4 * 128 * around.length ** 2);
  });
});

describe('what a plain text cannot hold, at every place in a four-byte word', () => {
  it("a backslash before the closing quote, a raw quote or a tab, 1 to 8 bytes in, is the long path's", () => {
    const text = textOf(withLog(2));
    const line = text.split('\n').find((l) => l.includes('"text":"ran: aws s3 ls s3://bucket-1"'))!;
    for (let k = 1; k <= 8; k++)
      for (const odd of ['\\', '"', '\t']) {
        const label = `${JSON.stringify(odd)} after ${k} bytes`;
        const edited = line.replace('"text":"ran: aws s3 ls s3://bucket-1"', `"text":"${'x'.repeat(k)}${odd}"`);
        const bytes = Buffer.from(rechainText(text.replace(line, edited)), 'latin1');
        expect(expectSameAsLongPath(bytes, label), label).toBe(false);
        expectSameVerdict(bytes, g, label);
      }
  });
});

describe('a bundle larger than the hasher window', () => {
  it('is read in place with the long path result and verdict', () => {
    // About 2.5 MB: the 1 MB window moves twice, and lines sit across its edges.
    const big = textOf(withLog(6000));
    expect(big.length).toBeGreaterThan(2 * (1 << 20));
    const bytes = Buffer.from(big, 'latin1');
    expect(expectSameAsLongPath(bytes, 'big')).toBe(true);
    expect(expectSameVerdict(bytes, g, 'big')).toMatchObject({ verdict: 'INTACT' });
  });

  it('an edit in a line across the window edge is still refused as the long path refuses it', () => {
    const big = textOf(withLog(3000));
    const edge = big.indexOf('\n', (1 << 20) - 200);
    const line = big.slice(edge + 1, big.indexOf('\n', edge + 1));
    expect(line).toContain('"kind":"action_logged"');
    // A space inside "parsed": the chain is redone over the file's bytes, so only the spelling can stop it.
    const edited = big.replace(line, line.replace('"parsed":[]', '"parsed":[ ]'));
    const bytes = Buffer.from(rechainText(edited), 'latin1');
    expect(expectSameAsLongPath(bytes, 'edge edit')).toBe(false);
    expect(expectSameVerdict(bytes, g, 'edge edit')).toMatchObject({ verdict: 'TAMPERED' });
  });
});

describe('a forger who rehashes one line over the prev_hash it writes', () => {
  it("a plain line whose prev_hash is not the hash before it is the long path's TAMPERED", () => {
    const text = textOf(withLog(5));
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes('"text":"ran: aws s3 ls s3://bucket-2"'));
    for (const prev of ['a'.repeat(64), /"prev_hash":"([0-9a-f]{64})"/.exec(lines[i]!)![1]!.toUpperCase()]) {
      const edited = [...lines];
      edited[i] = rehashed(edited[i]!.replace(/"prev_hash":"[0-9a-fA-F]{64}"/, `"prev_hash":"${prev}"`));
      const bytes = Buffer.from(edited.join('\n'), 'latin1');
      expectSameAsLongPath(bytes, prev);
      expect(expectSameVerdict(bytes, g, prev)).toMatchObject({ verdict: 'TAMPERED' });
    }
  });
});

/** The line with its "hash" recomputed over what it spells, prev_hash as written (entry-hash.ts's text). */
function rehashed(line: string): string {
  const comma = line.endsWith(',') ? ',' : '';
  const e = JSON.parse(comma ? line.slice(0, -1) : line) as JournalEntry;
  const { hash: _old, ...rest } = e;
  return `${line.slice(0, line.lastIndexOf('"hash":"') + 8)}${entryHash(rest)}"}${comma}`;
}
