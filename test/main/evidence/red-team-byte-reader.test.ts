/*
 * The byte-level line reader (plain lines read from the bytes, recorded_at's Date.parse handed
 * to the rules): times mixed known and unknown, backwards, in the future and on odd days, the last
 * line plain, CRLF, duplicates, lines across the 1 MB hashing window, non-ASCII files. Every file
 * must read and verify exactly as the strict long path does (fast-path-oracle.ts).
 */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src-shared/canonical-json';
import { PLAIN_UTC } from '../../../src-shared/ceremony/action-logged-payload';
import { historyRuleFindings, type ReadFacts } from '../../../src-shared/ceremony/history-rules';
import { builtInConfig } from '../../../src-shared/config/example-config';
import type { Bundle, JournalEntry } from '../../../src-shared/journal/types';
import { bundleText } from '../../../src-main/evidence/bundle-text';
import { readCanonicalBundleBytes } from '../../../src-main/evidence/canonical-bundle-bytes';
import { resign } from '../../support/forger';
import { seededRng } from '../../support/seeded-rng';
import { NOW, type Genuine } from './fixture';
import { codeOf, loadGenuine, useGenuineCeremony } from './forge-helpers';
import { expectSameAsLongPath, expectSameVerdict, rechainText, verdicts } from './fast-path-oracle';

let g: Genuine;
useGenuineCeremony((genuine) => (g = genuine));

const TIMES = [
  '2026-11-20T13:12:30.000Z',
  '2026-11-20T13:12:29.999Z',
  '2026-11-20T13:12:30.001Z',
  '2026-11-20T23:59:59.999Z',
  '2026-11-21T00:00:00.000Z',
  '2026-11-21T12:01:59.999Z',
  '2026-11-21T12:02:00.001Z',
  '2026-11-19T23:59:59.999Z',
  '2026-11-20T06:00:00.000Z',
  '2026-02-28T23:59:59.999Z',
  '2028-02-29T10:00:00.000Z',
  '2026-02-29T10:00:00.000Z',
  '2026-11-29T13:12:30.000Z',
  '2026-11-31T13:12:30.000Z',
  '2026-11-30T13:12:30.000Z',
  '2026-13-20T13:12:30.000Z',
  '2026-00-20T13:12:30.000Z',
  '2026-11-00T13:12:30.000Z',
  '2026-11-20T24:00:00.000Z',
  '2026-11-20T13:60:30.000Z',
  '2026-11-20T13:12:60.000Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-28T23:59:59.999Z',
  '1970-01-01T00:00:00.000Z',
  '2026-11-20T13:12:30.000z',
  '2026-11-20t13:12:30.000Z',
  '2026-11-20T13:12:30,000Z',
  '2026-11-20 13:12:30.000Z',
  '2026-11-20T13:12:30.00ZZ',
  '2026-11-20T13:12:30.000+',
  '2026011-20T13:12:30.000Z',
  '2026-11-20T13:12:3Z.000Z',
  '+02026-11-20T13:12:30.0Z',
  '2026-11-20T13:12:30Z0000',
  '2026-11-2T013:12:30.000Z',
  '2026-11-20T13:12:30.000 ',
  '2026-11-20T13:12',
  'yesterday at noon, or so',
];

const textOf = (b: Bundle) =>
  bundleText(
    b,
    b.entries.map((e) => canonicalize(e.payload)),
  );

/** The genuine history with running-log lines of the given times before the minimal action, re-signed. */
function withLines(
  lines: Array<{ at: string; logged?: string; text?: string; warn?: boolean }>,
  atEnd = false,
): Bundle {
  const b = loadGenuine(g);
  const at = atEnd ? b.entries.length : b.entries.findIndex((e) => e.kind === 'minimal_action_done');
  const model = b.entries.find((e) => e.kind === 'action_logged') ?? b.entries[at - 1]!;
  const made = lines.map((l, i) => ({
    ...model,
    kind: 'action_logged',
    recorded_at: l.at,
    payload: { logged_at: l.logged ?? l.at, parsed: [], text: l.text ?? `line ${i}`, warnings: l.warn ? ['w'] : [] },
  })) as JournalEntry[];
  b.entries.splice(at, 0, ...made);
  return resign(b, g.recorded.key);
}

function knownCount(bytes: Buffer): number {
  const read = readCanonicalBundleBytes(bytes, 'b');
  if (!read) return -1;
  return read.recordedMs.filter((x) => !Number.isNaN(x)).length;
}

describe('the byte-level line reader against crafted files', () => {
  it('times mixed known / unknown, backwards, future, odd days: same verdict and findings', () => {
    const rng = seededRng(0x5eed1);
    let known = 0;
    let ruled = 0;
    let declined = 0;
    for (let c = 0; c < 300; c++) {
      const n = 3 + rng.int(14);
      let clock = Date.parse('2026-11-20T13:00:00.000Z') + rng.int(3_600_000);
      const lines = Array.from({ length: n }, () => {
        clock += rng.int(3) * 250 - 250;
        const at = rng.int(3) ? new Date(clock).toISOString() : rng.pick(TIMES);
        const r = rng.int(6);
        return {
          at,
          logged: r === 0 ? rng.pick(TIMES) : undefined,
          warn: r === 1,
          text: r === 2 ? 'x'.repeat(17_000) : undefined,
        };
      });
      const atEnd = rng.int(4) === 0;
      // The derivation's clock is the last entry's time: an invalid one throws on both paths (known).
      if (atEnd) lines.push({ at: rng.pick(TIMES.slice(0, 11)), logged: undefined, warn: false, text: undefined });
      const b = withLines(lines, atEnd);
      const bytes = Buffer.from(textOf(b), 'latin1');
      const label = `case ${c}: ${JSON.stringify(lines.map((l) => [l.at, l.logged ?? '', l.warn ?? false]))}`;
      const k = knownCount(bytes);
      const v = expectSameVerdict(bytes, g, label) as { verdict: string };
      if (v.verdict === 'RULES BROKEN') ruled += 1;
      if (k < 0) {
        declined += 1;
        continue;
      }
      known += k;
      // Also the rules alone, with and without what the reader found (times, lines it built), and
      // with any part of it: each fact only vouches.
      const read = readCanonicalBundleBytes(bytes, 'b')!;
      const rules = (facts: ReadFacts) => historyRuleFindings(read.bundle.entries, builtInConfig(), NOW, facts);
      const without = rules({});
      expect(rules(read), label).toEqual(without);
      const mask = read.recordedMs.map((ms) => (rng.int(2) ? ms : NaN));
      const some = read.plainLogLines.map((b) => b & rng.int(2));
      expect(rules({ recordedMs: mask }), label).toEqual(without);
      expect(rules({ plainLogLines: some }), label).toEqual(without);
      expect(rules({ recordedMs: mask, plainLogLines: some }), label).toEqual(without);
      // Known for every PLAIN_UTC entry (not only plain lines).
      const all = read.bundle.entries.map((e) => (PLAIN_UTC.test(e.recorded_at) ? Date.parse(e.recorded_at) : NaN));
      expect(rules({ recordedMs: all, plainLogLines: read.plainLogLines }), label).toEqual(without);
    }
    expect(known).toBeGreaterThan(100);
    expect(ruled).toBeGreaterThan(20);
    expect(declined).toBeLessThan(300);
  });

  it('last line plain, trailing comma after it, CRLF, a duplicated plain line', () => {
    const b = withLines(
      [{ at: '2026-11-21T12:00:00.000Z' }, { at: '2026-11-21T12:00:00.000Z' }, { at: '2026-11-20T13:00:00.000Z' }],
      true,
    );
    const text = textOf(b);
    const bytes = Buffer.from(text, 'latin1');
    expect(knownCount(bytes)).toBe(3);
    expectSameVerdict(bytes, g, 'last plain');
    const lines = text.split('\n');
    const close = lines.indexOf('  ],');
    const trailing = [...lines];
    trailing[close - 1] += ',';
    expectSameVerdict(Buffer.from(trailing.join('\n'), 'latin1'), g, 'trailing comma');
    expectSameVerdict(Buffer.from(rechainText(trailing.join('\n')), 'latin1'), g, 'trailing comma rechained');
    expectSameVerdict(Buffer.from(text.split('\n').join('\r\n'), 'latin1'), g, 'crlf');
    const dup = [...lines];
    dup.splice(close - 1, 0, dup[close - 2]!);
    expectSameVerdict(Buffer.from(dup.join('\n'), 'latin1'), g, 'dup');
    expectSameVerdict(Buffer.from(rechainText(dup.join('\n')), 'latin1'), g, 'dup rechained');
    // The last line without its closing newline structure: `}` then directly `  ],`.
    const glued = [...lines];
    glued[close - 1] = `${glued[close - 1]!}${glued[close]!}`;
    glued.splice(close, 1);
    expectSameVerdict(Buffer.from(glued.join('\n'), 'latin1'), g, 'glued');
  });

  it('lines across the 1 MB hashing window, bytes of the edge lines edited', () => {
    const rng = seededRng(0x1eed);
    const texts: string[] = [];
    let total = 0;
    while (total < 2_600_000) {
      const n = rng.int(3) === 0 ? 15_900 + rng.int(300) : 50 + rng.int(9000);
      texts.push(String.fromCharCode(97 + rng.int(26)).repeat(n));
      total += n + 420;
    }
    const b = withLines(
      texts.map((text, i) => ({ at: `2026-11-20T13:${String(10 + (i % 50)).padStart(2, '0')}:00.000Z`, text })),
    );
    const text = textOf(b);
    const bytes = Buffer.from(text, 'latin1');
    expect(bytes.length).toBeGreaterThan(2 << 20);
    const read = readCanonicalBundleBytes(bytes, 'b')!;
    expect(read).toBeDefined();
    expectSameVerdict(bytes, g, 'big');
    // The line holding byte 1 MB (and 2 MB) from the first plain line's start: edit bytes in it.
    const lines = text.split('\n');
    let off = 0;
    const starts = lines.map((l) => {
      const s = off;
      off += l.length + 1;
      return s;
    });
    for (const edge of [1 << 20, 2 << 20]) {
      const i = starts.findIndex((s, j) => s <= edge && edge < s + lines[j]!.length + 1);
      const line = lines[i]!;
      for (const at of [
        0,
        5,
        30,
        line.length - 200,
        line.length - 195,
        line.length - 130,
        line.length - 66,
        line.length - 3,
        line.length - 1,
      ]) {
        for (const ch of ['0', '"']) {
          const edited = [...lines];
          edited[i] = line.slice(0, at) + ch + line.slice(at + 1);
          const t2 = rechainText(edited.join('\n'));
          expectSameAsLongPath(Buffer.from(t2, 'latin1'), `edge ${edge} at ${at} ${ch}`);
        }
      }
    }
  });

  it('non-ASCII header or a non-ASCII line: the same as the long path', () => {
    const b = withLines([
      { at: '2026-11-20T13:12:30.000Z' },
      { at: '2026-11-20T13:12:31.000Z', text: 'été' },
      { at: '2026-11-20T13:12:29.000Z' },
    ]);
    const bytes = Buffer.from(textOf(b), 'utf8');
    expect(knownCount(bytes)).toBe(0);
    expectSameVerdict(bytes, g, 'non-ascii');
  });

  it('a plain line after a line read the long way whose prev_hash bytes differ: TAMPERED both', () => {
    const b = withLines([{ at: '2026-11-20T13:12:30.000Z', warn: true }, { at: '2026-11-20T13:12:31.000Z' }]);
    const text = textOf(b);
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes('"warnings":["w"]'));
    const next = lines[i + 1]!;
    // Point the plain line at a hash that is not the one before it.
    const prevAt = next.length - 1 - 195 + 55;
    const edited = [...lines];
    edited[i + 1] = next.slice(0, prevAt) + 'f'.repeat(64) + next.slice(prevAt + 64);
    const v = verdicts(Buffer.from(edited.join('\n'), 'latin1'), g);
    expect(v.real).toEqual(v.strict);
  });
});

describe('the byte-level line reader: a clean history and one step back', () => {
  it('monotonic known times are INTACT; one known time 1 ms back is found both ways', () => {
    const base = Date.parse('2026-11-20T13:12:30.000Z');
    const mk = (shift: (i: number) => number) =>
      Array.from({ length: 30 }, (_, i) => ({ at: new Date(base + i * 1000 + shift(i)).toISOString() }));
    const run = (lines: Array<{ at: string }>) => {
      const b = withLines(lines);
      const witnesses = ['scenario', 'sign_out']
        .map((step) => b.checkpoints.find((c) => c.step === step))
        .filter((c) => c !== undefined)
        .map(codeOf);
      const bytes = Buffer.from(textOf(b), 'latin1');
      expect(knownCount(bytes)).toBeGreaterThanOrEqual(29);
      return expectSameVerdict(bytes, g, lines.map((l) => l.at).join(','), witnesses) as {
        verdict: string;
        findings: Array<{ reason: string }>;
      };
    };
    const clean = run(mk(() => 0));
    expect(clean).toMatchObject({ verdict: 'INTACT', findings: [] });
    const back = run(mk((i) => (i === 17 ? -1001 : 0)));
    expect(back.verdict).toBe('RULES BROKEN');
    expect(back.findings.some((f) => /earlier than the entry before/.test(f.reason))).toBe(true);
    const back2 = run(mk((i) => (i >= 17 ? -1_000_000 : 0)));
    expect(back2.findings.filter((f) => /earlier than the entry before/.test(f.reason)).length).toBeGreaterThan(0);
  });
});
