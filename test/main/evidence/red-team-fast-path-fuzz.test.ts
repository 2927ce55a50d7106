import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src-shared/canonical-json';
import { bundleText } from '../../../src-main/evidence/bundle-text';
import { resign } from '../../support/forger';
import { seededRng } from '../../support/seeded-rng';
import type { Genuine } from './fixture';
import { loadGenuine, useGenuineCeremony } from './forge-helpers';
import { entryLines, expectSameAsLongPath, expectSameVerdict, rechainText } from './fast-path-oracle';

/*
 * Seeded fuzzing of the verifier's fast path: thousands of random edits of a multi-line ASCII
 * bundle (signed, with plain running-log lines the template reads and one line near the hashing
 * buffer's size), aimed at payloads and at the line structure, some inserting non-ASCII text or
 * bytes that are not UTF-8. On every file the fast readers must decline or give exactly the long
 * path's bundle, payload texts and chain hashes (fast-path-oracle.ts); some are also verified
 * through both paths. Half the files are rechained over their own bytes, so a spelling the fast
 * path let through would also have an intact chain.
 */

let g: Genuine;
useGenuineCeremony((genuine) => (g = genuine));

const SEED = 0xfa57;
const CASES = 3000;
/** Pieces an edit inserts: JSON syntax, escapes, template fragments, names, digits and non-ASCII. */
const PIECES = [
  '"',
  '\\',
  ',',
  ':',
  ' ',
  '{',
  '}',
  '[',
  ']',
  '[]',
  '0',
  '-0',
  '1e2',
  '.5',
  'null',
  'true',
  '\\u0041',
  '\\ud800',
  '\\"',
  '\\n',
  '\n',
  '\r',
  '\t',
  '",',
  '","warnings":[]}',
  '","parsed":[],"text":"',
  ',"x":1',
  '"__proto__":1,',
  '"constructor":1,',
  '"text":"t",',
  'é',
  '€',
  '😀',
  '\u0085',
  '\u2028',
  '\u007f',
  '\u0000',
];
/** Bytes that are not UTF-8 on their own (or not ASCII), spliced into the encoded file. */
const RAW = [0x80, 0xbf, 0xc0, 0xc3, 0xe9, 0xed, 0xf5, 0xff, 0x00, 0x7f];

function fuzzBase(): string {
  const b = loadGenuine(g);
  const at = b.entries.findIndex((e) => e.kind === 'minimal_action_done');
  const texts = ['plain one', 'y'.repeat(16_000), 'z', 'echo "quoted" \\ path', 'plain one'];
  const lines = texts.map((text, i) => ({
    ...b.entries[at - 1]!,
    kind: 'action_logged',
    recorded_at: `2026-11-20T13:12:3${i}.000Z`,
    payload: { logged_at: `2026-11-20T13:12:3${i}.000Z`, parsed: [], text, warnings: i === 2 ? ['w'] : [] },
  }));
  b.entries.splice(at, 0, ...lines);
  resign(b, g.recorded.key);
  return bundleText(
    b,
    b.entries.map((e) => canonicalize(e.payload)),
  );
}

describe('the fast path under random edits', () => {
  it(`declines or agrees with the long path on ${CASES} edited bundles (seed ${SEED})`, () => {
    const base = fuzzBase();
    const rng = seededRng(SEED);
    const { lines, first, count } = entryLines(base);
    expect(expectSameAsLongPath(Buffer.from(base, 'latin1'), 'base')).toBe(true);
    let vouched = 0;
    let nonAscii = 0;
    for (let c = 0; c < CASES; c++) {
      const edited = [...lines];
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const i = first + rng.int(count);
        const line = edited[i]!;
        const payloadFrom = line.indexOf('"payload":') + 10;
        const payloadTo = line.lastIndexOf(',"recorded_at"');
        // Mostly inside the payload; sometimes anywhere in the line.
        const at = rng.int(3) ? payloadFrom + rng.int(payloadTo - payloadFrom + 1) : rng.int(line.length + 1);
        const op = rng.int(8);
        if (op <= 2) edited[i] = line.slice(0, at) + rng.pick(PIECES) + line.slice(at);
        else if (op === 3) edited[i] = line.slice(0, at) + line.slice(at + 1 + rng.int(3));
        else if (op === 4) edited[i] = line.slice(0, at) + String.fromCharCode(32 + rng.int(95)) + line.slice(at + 1);
        else if (op === 5) edited.splice(i, 1, line, line);
        else if (op === 6 && count > 1) edited.splice(i, 1);
        else {
          const j = first + rng.int(count);
          [edited[i], edited[j]] = [edited[j]!, edited[i]!];
        }
      }
      let text = edited.join('\n');
      if (rng.int(2)) text = rechainText(text);
      let bytes = Buffer.from(text, 'utf8');
      if (rng.int(10) === 0) {
        const at = rng.int(bytes.length + 1);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([rng.pick(RAW)]), bytes.subarray(at)]);
      }
      if (bytes.some((x) => x >= 0x80)) nonAscii += 1;
      const label = `seed ${SEED} case ${c}`;
      if (expectSameAsLongPath(bytes, label)) vouched += 1;
      if (c % 100 === 0) expectSameVerdict(bytes, g, label);
    }
    // The edits must reach both the fast path's acceptance and its refusals, ASCII or not.
    expect(vouched).toBeGreaterThan(CASES / 10);
    expect(vouched).toBeLessThan(CASES);
    expect(nonAscii).toBeGreaterThan(CASES / 10);
  });
});
