import { describe, expect, it } from 'vitest';
import { PLAIN_UTC } from '../../../src-shared/ceremony/action-logged-payload';
import { deriveCeremonyState } from '../../../src-shared/ceremony/derive-state';
import { historyRuleFindings } from '../../../src-shared/ceremony/history-rules';
import { HistoryTimes } from '../../../src-shared/ceremony/history-times';
import { FUTURE_SKEW_MS } from '../../../src-shared/ceremony/text-rules';
import { witnessCode } from '../../../src-shared/ceremony/witness-code';
import { EXAMPLE_CONFIG } from '../../../src-shared/config/example-config';
import { configSchema } from '../../../src-shared/config/schema';
import type { JournalEntry } from '../../../src-shared/journal/types';
import { builtAsTheReaderBuilds } from '../../support/reader-built-line';
import { seededRng } from '../../support/seeded-rng';
import { rootCeremonyUntil } from './ceremony-sim';

/*
 * historyRuleFindings reads each entry once for all its rules: times by their numbers when they
 * are plain (parse-time.ts), and the running-log lines that plainly fit their schema noted for the
 * derivation of the whole, which then does not check them again. On hostile running-log lines
 * both must change nothing: the state is the derivation's own without the note, and the time
 * findings are those of the rules read the plain way (Date.parse, `<`, every field by name).
 */

const config = configSchema.parse(EXAMPLE_CONFIG);
const NOW = new Date('2026-11-21T12:00:00.000Z');
const START = '2026-11-20T08:00:00.000Z';
const TIME_FIELDS = [
  'attempted_at',
  'notified_at',
  'acknowledged_at',
  'signed_in_at',
  'logged_at',
  'signed_out_at',
  'session_started_at',
  'evidence_at',
];

const TIMES = [
  '2026-11-20T08:10:00.500Z',
  '2026-11-20T08:09:59.999Z',
  '2026-11-20T06:59:59.999Z',
  '2026-11-20T07:00:00.000Z',
  '2026-11-21T12:01:59.999Z',
  '2026-11-21T12:02:00.001Z',
  '2026-02-28T23:59:59.999Z',
  '2026-11-29T08:10:00.500Z',
  '2026-11-31T08:10:00.500Z',
  '2026-02-30T08:10:00.500Z',
  '2026-13-20T08:10:00.500Z',
  '2026-00-20T08:10:00.500Z',
  '2026-11-00T08:10:00.500Z',
  '2026-11-20T24:00:00.000Z',
  '2026-11-20T08:60:00.000Z',
  '2026-11-20T08:10:60.000Z',
  '2026-11-20T08:10:00Z',
  '2026-11-20T08:10:00.5Z',
  '2026-11-20T08:10:00.500+00:00',
  '2026-11-20T08:10:00.500z',
  '2026-11-20 08:10:00.500Z',
  '٢026-11-20T08:10:00.500Z',
  '２026-11-20T08:10:00.500Z',
  '2026-11-2\ud800T08:10:00.500Z',
  '2026-11-20T08:10:00.50éZ',
  '2026-11-20T08:10:00.500Z\n',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '',
  'yesterday',
];
const TEXTS = [
  'ran: aws ec2 describe-instances',
  '',
  ' ',
  'ab',
  'aaa',
  'aAa',
  ' abc',
  'abc ',
  '111',
  'été ok',
  'ok\ud800',
];
const PARSED = {
  service: 'ec2',
  operation: 'describe-instances',
  iam_action: 'ec2:DescribeInstances',
  event_source: 'ec2.amazonaws.com',
  read_only: true,
};

/** A copy of s that is a slice of a longer text, as the verifier's strings are, or s itself. */
function sliced(rng: ReturnType<typeof seededRng>, s: string): string {
  if (rng.int(2) === 0) return s;
  const text = `"${s}"`;
  return text.slice(1, 1 + s.length);
}

function entry(seq: number, kind: string, payload: Record<string, unknown>, recorded_at: string): JournalEntry {
  const hash = seq.toString(16).padStart(64, '0');
  return { ceremony_id: 'bg-test-0001', seq, kind, payload, recorded_at, prev_hash: hash, hash } as JournalEntry;
}

/** A running-log line, well formed or not in one way or another. */
function line(rng: ReturnType<typeof seededRng>, seq: number, at: number): JournalEntry {
  let recordedAt = sliced(rng, rng.int(6) === 0 ? rng.pick(TIMES) : new Date(at).toISOString());
  const p: Record<string, unknown> = {
    logged_at: recordedAt,
    parsed: [],
    text: sliced(rng, TEXTS[0]!),
    warnings: [],
  };
  let kind = 'action_logged';
  switch (rng.int(16)) {
    case 0:
      p.logged_at = sliced(rng, rng.pick(TIMES));
      break;
    case 1:
      // Equal, not the same string.
      p.logged_at = `${recordedAt} `.slice(0, -1);
      break;
    case 2:
      p.logged_at = rng.pick([1, null, true, {}, []]);
      break;
    case 3:
      delete p[rng.pick(['logged_at', 'parsed', 'text', 'warnings'])];
      break;
    case 4:
      p[rng.pick(['extra', 'notified_at', 'zz'])] = rng.pick(['x', 1, null, rng.pick(TIMES)]);
      break;
    case 5:
      return entry(seq, kind, JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(p).slice(1)}`), recordedAt);
    case 6:
      return entry(seq, kind, Object.assign(Object.create({ inherited: 1 }), p), recordedAt);
    case 7:
      return entry(seq, kind, Object.assign(Object.create(null), p), recordedAt);
    case 8:
      p.text = sliced(rng, rng.pick([...TEXTS, 'a'.repeat(2001)]));
      break;
    case 9:
      p.parsed = rng.pick([[PARSED], [1], {}, null]);
      break;
    case 10:
      p.warnings = rng.pick([['careful'], [1], 'w', null]);
      break;
    case 11:
      kind = rng.pick(['toString', '__proto__', 'unknown_kind', 'note']);
      break;
    case 12:
      recordedAt = sliced(rng, rng.pick(TIMES));
      p.logged_at = recordedAt;
      break;
    default:
      break;
  }
  return entry(seq, kind, p, recordedAt);
}

/** The time rules read the plain way. */
function plainTimeFindings(entries: readonly JournalEntry[]) {
  const out: Array<{ seq: number; reason: string }> = [];
  const start = Date.parse(entries[0]!.recorded_at);
  let previous = entries[0]!.recorded_at;
  for (const e of entries) {
    const at = e.recorded_at;
    if (at < previous)
      out.push({
        seq: e.seq,
        reason: `recorded_at ${at} is earlier than the entry before it (${previous}): the clock ran backwards or the history was rewritten`,
      });
    else previous = at;
    const recorded = Date.parse(at);
    if (recorded > NOW.getTime() + FUTURE_SKEW_MS)
      out.push({ seq: e.seq, reason: `recorded_at ${at} is after this verifier's clock (${NOW.toISOString()})` });
    for (const field of TIME_FIELDS) {
      const value = e.payload[field];
      if (typeof value !== 'string') continue;
      const t = Date.parse(value);
      if (Number.isNaN(t) || t > recorded + FUTURE_SKEW_MS || t < start - 60 * 60_000)
        out.push({
          seq: e.seq,
          reason: `${field} ${value} lies outside the ceremony's window (an hour before its start to the entry's own recording at ${at})`,
        });
    }
  }
  return out;
}

describe('historyRuleFindings on hostile running-log lines', () => {
  it('derives the state the derivation gives alone, and finds what the plain time rules find', () => {
    const rng = seededRng(0x5ea1);
    const mask = seededRng(0x71e5);
    let problems = 0;
    let timeFindings = 0;
    let knownTimes = 0;
    let builtLines = 0;
    for (let c = 0; c < 300; c++) {
      const entries = [
        entry(
          0,
          'ceremony_started',
          {
            type: 'root-login',
            drill: true,
            operator: { id: 'taha@example.com', name: 'Taha' },
            app_version: '0.1.0-test',
            config_source: 'test',
          },
          START,
        ),
      ];
      let at = Date.parse('2026-11-20T08:10:00.000Z');
      for (let seq = 1; seq <= 40; seq++) entries.push(line(rng, seq, (at += rng.int(3) * 500)));
      // The derivation's clock is the last entry's: a time (an invalid one throws, with or without hints).
      entries.push(entry(41, 'note', { text: 'the end' }, new Date(at + 500).toISOString()));
      const { findings, state } = historyRuleFindings(entries, config, NOW);
      // The same with the times a file's reader knows (some of the PLAIN_UTC ones): the same answer.
      const known = entries.map((e) =>
        mask.int(3) > 0 && PLAIN_UTC.test(e.recorded_at) ? Date.parse(e.recorded_at) : NaN,
      );
      const withKnown = historyRuleFindings(entries, config, NOW, { recordedMs: known });
      expect(withKnown.findings, `case ${c}`).toEqual(findings);
      expect(withKnown.state, `case ${c}`).toEqual(state);
      knownTimes += known.filter((ms) => !Number.isNaN(ms)).length;
      // And told which lines a file's reader built itself (some of those it could have built).
      const built = Uint8Array.from(entries, (e) => (mask.int(4) > 0 && builtAsTheReaderBuilds(e) ? 1 : 0));
      for (const read of [{ plainLogLines: built }, { recordedMs: known, plainLogLines: built }]) {
        const withBuilt = historyRuleFindings(entries, config, NOW, read);
        expect(withBuilt.findings, `case ${c}`).toEqual(findings);
        expect(withBuilt.state, `case ${c}`).toEqual(state);
      }
      builtLines += built.reduce((n, b) => n + b, 0);
      const lastAt = new Date(entries.at(-1)!.recorded_at);
      const alone = deriveCeremonyState(entries, config, lastAt);
      expect(alone.ok).toBe(true);
      if (!alone.ok) continue;
      expect(state, `case ${c}`).toEqual(alone.value);
      const times = plainTimeFindings(entries);
      expect(findings.slice(0, times.length), `case ${c}`).toEqual(times);
      expect(findings.slice(times.length, times.length + alone.value.problems.length)).toEqual(
        alone.value.problems.map((p) => ({ seq: Number(/^seq (\d+)/.exec(p)![1]), reason: p })),
      );
      problems += alone.value.problems.length;
      timeFindings += times.length;
    }
    // Both the derivation and the time rules find things in these histories.
    expect(problems).toBeGreaterThan(1000);
    expect(timeFindings).toBeGreaterThan(1000);
    expect(knownTimes).toBeGreaterThan(5000);
    expect(builtLines).toBeGreaterThan(3000);
  });

  it('reads a lock by its seq from the last entry of that seq, a running-log line included', () => {
    // Format 1 (no signature): the final code is that of the hash the sign-out lock's seq names.
    const sim = rootCeremonyUntil('aftercare');
    const lock = sim.entries.findLast((e) => e.kind === 'step_locked' && e.payload.step === 'sign_out')!;
    const line = sim.entries.find((e) => e.kind === 'action_logged')!;
    const at = sim.entries.at(-1)!.recorded_at;
    for (const text of ['ran: aws sts get-caller-identity', '']) {
      // A later line that reuses the lock's seq, with its own hash: plain, then one zod refuses.
      const again = {
        ...line,
        seq: lock.seq,
        recorded_at: at,
        hash: 'ab'.repeat(32),
        payload: { ...line.payload, text, parsed: [], warnings: [] },
      };
      const entries = [...sim.entries, again];
      const expected = witnessCode({ seq: lock.seq, hash: again.hash });
      expect(witnessCode({ seq: lock.seq, hash: lock.hash })).not.toEqual(expected);
      const alone = deriveCeremonyState(entries, config, new Date(at));
      expect(alone.ok && alone.value.witness.final).toEqual(expected);
      expect(historyRuleFindings(entries, config, NOW).state?.witness.final).toEqual(expected);
    }
  });

  it("checks a running-log payload's times with the same code as any other payload's", () => {
    // Two copies only so that the engine caches their lookups apart (history-times.ts).
    const body = (name: string) =>
      String((HistoryTimes.prototype as unknown as Record<string, () => void>)[name]).replace(/^[^{]*/, '');
    expect(body('lineTimes')).toBe(body('otherTimes'));
    expect(body('lineTimes')).toContain('evidence_at');
  });
});
