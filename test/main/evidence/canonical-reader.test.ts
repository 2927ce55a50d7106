import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCanonicalBundle } from '../../../src-main/evidence/canonical-bundle-reader';
import { BundleReadError, parseBundleText } from '../../../src-main/evidence/parse-bundle';
import { entryHash } from '../../../src-main/journal/entry-hash';
import { seededRng } from '../../support/seeded-rng';
import { genuineCeremony, type Genuine } from './fixture';

/*
 * The one-pass reader only saves the long way for files already in their one spelling: whenever
 * it returns a result, the long way must accept the same text with exactly the same result. On
 * random edits of a genuine bundle's text (characters replaced, inserted or deleted anywhere,
 * mostly inside entry lines; escapes, whitespace, duplicate and reordered members), it either
 * declines or agrees.
 */

const SEED = 0xbead1e;
const CASES = 1500;
const CHARS = ['"', '\\', ',', ' ', '\n', '{', '}', '[', ']', ':', '0', '9', 'a', 'Z', 'é', '\u0000', '-', '.', 'e'];
const INSERTS = [' ', '\\u0041', ',"x":1', '"', '\n', '0', '.0', 'e0', '\\', '\ud800', ',', '{}'];

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

/** The long way's result without its payload texts (the line reader gives recomputed hashes instead). */
function longWay(t: string) {
  try {
    const { payloadTexts: _texts, ...read } = parseBundleText(t, 'edited') as { payloadTexts?: string[] };
    return read;
  } catch (error) {
    if (error instanceof BundleReadError) return { unreadable: error.message };
    throw error;
  }
}

function edit(rng: ReturnType<typeof seededRng>, t: string): string {
  const lines = t.split('\n');
  // Mostly an entry line: that is what the reader reads itself.
  const first = lines.findIndex((l) => l.startsWith('    {"ceremony_id"'));
  const i = rng.int(4) === 0 ? rng.int(lines.length) : first + rng.int(lines.findIndex((l) => l === '  ],') - first);
  const line = lines[i]!;
  const at = rng.int(line.length + 1);
  let changed: string;
  switch (rng.int(6)) {
    case 0:
      changed = line.slice(0, at) + rng.pick(CHARS) + line.slice(at + 1);
      break;
    case 1:
      changed = line.slice(0, at) + rng.pick(INSERTS) + line.slice(at);
      break;
    case 2:
      changed = line.slice(0, at) + line.slice(at + 1);
      break;
    case 3: // a letter spelled as its escape
      changed = line.replace(/(?<=ran: a)w/, '\\u0077');
      break;
    case 4: // a member repeated, or two swapped
      changed = rng.int(2)
        ? line.replace(/("kind":"[a-z_]+",)/, '$1$1')
        : line.replace(/("seq":\d+,)("kind":"[a-z_]+",)/, '$2$1');
      break;
    default: // a value changed, the spelling still canonical
      changed = line.replace(/[0-9a-f](?=")/, (c) => (c === '0' ? '1' : '0'));
  }
  lines[i] = changed;
  return lines.join('\n');
}

describe('the one-pass bundle reader', () => {
  it('reads a genuine bundle itself, with exactly the long way result', () => {
    const fast = readCanonicalBundle(text, 'genuine');
    expect(fast).toBeDefined();
    const { entryHashes, ...read } = fast!;
    const { payloadTexts: _texts, ...long } = parseBundleText(text, 'genuine') as { payloadTexts: string[] };
    expect(read).toEqual(long);
    expect(entryHashes).toEqual(read.bundle.entries.map((e) => entryHash(e)));
  });

  it('on random edits, either declines or agrees with the long way', () => {
    const rng = seededRng(SEED);
    let agreed = 0;
    let declined = 0;
    for (let c = 0; c < CASES; c++) {
      const t = edit(rng, text);
      const fast = readCanonicalBundle(t, 'edited');
      if (fast === undefined) {
        declined += 1;
        continue;
      }
      agreed += 1;
      const { entryHashes, ...read } = fast;
      expect(longWay(t), `case ${c}`).toEqual(read);
      // Each hash handed to the chain check is the entry's own, recomputed, whatever the line says.
      expect(entryHashes, `case ${c}`).toEqual(read.bundle.entries.map((e) => entryHash(e)));
    }
    expect(agreed).toBeGreaterThan(CASES / 20);
    expect(declined).toBeGreaterThan(CASES / 20);
  });
});
