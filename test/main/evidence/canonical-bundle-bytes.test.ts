import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCanonicalBundleBytes, readEntryLinesApart } from '../../../src-main/evidence/canonical-bundle-bytes';
import { readCanonicalBundle } from '../../../src-main/evidence/canonical-bundle-reader';
import { entryHash } from '../../../src-main/journal/entry-hash';
import type { JournalEntry } from '../../../src-shared/journal/types';
import { seededRng } from '../../support/seeded-rng';
import { expectBuiltLines, expectKnownTimes } from './fast-path-oracle';
import { genuineCeremony, type Genuine } from './fixture';

/*
 * The reader of a bundle's bytes must accept exactly what the text reader accepts, with the same
 * entries and payload texts, and each hash it hands the chain check must be the entry's real chain
 * hash (entryHash, which re-encodes the parsed entry canonically), never something read from the
 * file. Checked on the genuine bundle, on lines with non-ASCII text, and on random edits. An ASCII
 * file is read as one Latin-1 string, any other line by line: both ways must give the same result
 * on every file, so each case is also read line by line whatever its bytes.
 */

const SEED = 0xb17e5;
const CASES = 800;
const PIECES = ['"', '\\', ',', ' ', '{', '}', '0', '9', 'a', 'é', '€', '😀', '\\u0041', ',"x":1', '.0'];

let g: Genuine;
let text: string;

beforeAll(async () => {
  g = await genuineCeremony();
  text = readFileSync(g.bundle, 'utf8');
});
afterAll(() => {
  g.recorded.close();
  rmSync(g.dir, { recursive: true, force: true });
});

/** Both readers on the same file: both decline, or they agree and every hash is the entry's own. */
function expectAgreement(t: string, label: string): boolean {
  const bytes = Buffer.from(t, 'utf8');
  const fromBytes = readCanonicalBundleBytes(bytes, 'edited');
  const byLine = readEntryLinesApart(bytes, 'edited');
  const fromText = readCanonicalBundle(t, 'edited');
  if (fromText === undefined) {
    expect(fromBytes, label).toBeUndefined();
    expect(byLine, label).toBeUndefined();
    return false;
  }
  const { recordedMs: _times, plainLogLines: _built, ...read } = fromBytes!;
  expect(read, label).toEqual(fromText);
  expectKnownTimes(fromBytes!, label);
  expectBuiltLines(fromBytes!, label);
  const { recordedMs: none, plainLogLines: noneBuilt, ...apart } = byLine!;
  expect(apart, label).toEqual(fromText);
  // Read line by line without the plain reader: no time is known before the rules read it, no line built.
  expect(none.every(Number.isNaN), label).toBe(true);
  expect(noneBuilt.every((b) => b === 0) && noneBuilt.length === none.length, label).toBe(true);
  expect(fromText.entryHashes, label).toEqual(fromText.bundle.entries.map((e: JournalEntry) => entryHash(e)));
  return true;
}

describe('the bundle reader on bytes', () => {
  it('reads the genuine bundle, and its hashes are the chain the file records', () => {
    const read = readCanonicalBundleBytes(Buffer.from(text, 'utf8'), 'genuine');
    expect(read).toBeDefined();
    expect(read!.entryHashes).toEqual(read!.bundle.entries.map((e) => e.hash));
    expect(expectAgreement(text, 'genuine')).toBe(true);
  });

  it('hashes lines holding any text as the entries they spell', () => {
    // And ASCII ones, among them a line too long for the reused hashing buffer.
    for (const word of ['café', '€ 5', 'naïve 😀', '日本', 'plain', 'x'.repeat(20_000)]) {
      const t = text.replace('ran: aws ec2 describe-instances', `ran: ${word} describe-instances`);
      expect(t).not.toBe(text);
      expect(expectAgreement(t, word), word).toBe(true);
    }
  });

  it("reads every line whatever count the head claims: the head's seq only sizes the lists", () => {
    const head = /("head": \{\s*"seq": )(\d+)/;
    const seq = Number(head.exec(text)![2]);
    // Fewer than the lines, more, far more than the file could hold, and the largest safe integer.
    for (const claimed of [0, seq - 3, seq + 1, seq * 1000, Number.MAX_SAFE_INTEGER]) {
      const t = text.replace(head, `$1${claimed}`);
      expect(t, String(claimed)).not.toBe(text);
      expect(expectAgreement(t, `head seq ${claimed}`)).toBe(true);
      const read = readCanonicalBundleBytes(Buffer.from(t, 'utf8'), 'claimed')!;
      expect(read.bundle.entries).toHaveLength(seq + 1);
      expect(read.entryHashes).toHaveLength(seq + 1);
      expect(read.recordedMs).toHaveLength(seq + 1);
      expect(read.plainLogLines).toHaveLength(seq + 1);
      expect(Object.keys(read.bundle.entries)).toHaveLength(seq + 1);
    }
  });

  it('on random edits of entry lines, declines or agrees with the text reader', () => {
    const rng = seededRng(SEED);
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.startsWith('    {"ceremony_id"'));
    const count = lines.findIndex((l) => l === '  ],') - first;
    let agreed = 0;
    for (let c = 0; c < CASES; c++) {
      const edited = [...lines];
      const i = first + rng.int(count);
      const line = edited[i]!;
      const at = rng.int(line.length + 1);
      const piece = rng.pick(PIECES);
      edited[i] = rng.int(2)
        ? line.slice(0, at) + piece + line.slice(at)
        : line.slice(0, at) + piece + line.slice(at + 1);
      if (expectAgreement(edited.join('\n'), `case ${c}`)) agreed += 1;
    }
    expect(agreed).toBeGreaterThan(CASES / 20);
  });
});
