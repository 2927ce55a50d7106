import { describe, expect, it } from 'vitest';
import type { Bundle, JournalEntry } from '../../../src-shared/journal/types';
import { plainLogText } from '../../../src-shared/ceremony/action-logged-payload';
import { recordedArgsRefusal } from '../../../src-shared/ceremony/check-command';
import type { Genuine } from './fixture';
import { resignedVerdict } from './fast-path-oracle';
import { useGenuineCeremony } from './forge-helpers';

/*
 * Found by the red-team review: the rules replay checked each entry's order, locks, times and
 * payload schema, not the arguments the command was given. A history re-signed with the pinned
 * key (its holder is not trusted, docs/threat-model.md) whose scenario reason is "x" verified
 * INTACT, though select_scenario refuses it. The replay now holds each entry that keeps its
 * arguments to the command's own checks (rules/*.ts `recorded`).
 */

let g: Genuine;
useGenuineCeremony((genuine) => (g = genuine));

const verdictOf = (edit: (b: Bundle) => void) => resignedVerdict(g, edit);

const only = (b: Bundle, kind: string): JournalEntry => {
  const found = b.entries.filter((e) => e.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('a signed command argument the app would have refused', () => {
  const cases: Array<[kind: string, member: string, value: unknown, command: string, words: string]> = [
    ['scenario_selected', 'reason', 'x', 'select_scenario', 'reason: write at least 10 characters'],
    ['scenario_selected', 'reason', 'a'.repeat(301), 'select_scenario', 'reason: at most 300 characters'],
    ['scenario_selected', 'reason', 'SSO is down\nfor everyone', 'select_scenario', 'reason: one line only'],
    ['minimal_action_done', 'summary', 'ok', 'finish_minimal_action', 'summary: write at least 10 characters'],
    [
      'signed_out',
      'expected_return_to_normal',
      'back by\nFriday',
      'record_sign_out',
      'expected return to normal: one line only',
    ],
  ];
  for (const [kind, member, value, command, words] of cases)
    it(`${kind} with ${member} ${JSON.stringify(value).slice(0, 20)} is RULES BROKEN, naming ${command}`, () => {
      let seq = -1;
      const v = verdictOf((b) => {
        const e = only(b, kind);
        e.payload = { ...e.payload, [member]: value as string };
        seq = e.seq;
      });
      expect(v.verdict).toBe('RULES BROKEN');
      expect(v.findings).toStrictEqual([
        {
          verdict: 'RULES BROKEN',
          seq,
          reason: expect.stringMatching(
            new RegExp(`^${kind} holds arguments the app refuses \\(${command}\\): .*${words}`),
          ),
        },
      ]);
    });

  it('a running-log line of one character is RULES BROKEN, naming log_action', () => {
    let seq = -1;
    const v = verdictOf((b) => {
      const e = b.entries.find((x) => x.kind === 'action_logged')!;
      e.payload = { ...e.payload, text: 'x' };
      seq = e.seq;
    });
    expect(v.findings).toStrictEqual([
      {
        verdict: 'RULES BROKEN',
        seq,
        reason: 'action_logged holds arguments the app refuses (log_action): action: write at least 3 characters',
      },
    ]);
  });

  it('a scenario evidence field the form refuses is RULES BROKEN', () => {
    const v = verdictOf((b) => {
      const e = only(b, 'scenario_selected');
      const evidence = e.payload.evidence as Record<string, string>;
      const key = Object.keys(evidence)[0]!;
      e.payload = { ...e.payload, evidence: { ...evidence, [key]: '.' } };
    });
    expect(v.verdict).toBe('RULES BROKEN');
    expect(v.findings).toStrictEqual([
      { verdict: 'RULES BROKEN', seq: 1, reason: expect.stringContaining('(select_scenario): evidence for') },
    ]);
  });

  it('a different reason the form accepts, re-signed the same way, stays INTACT', () => {
    const v = verdictOf((b) => {
      const e = only(b, 'scenario_selected');
      e.payload = { ...e.payload, reason: 'Identity Center is down and the outage page needs the root login' };
    });
    expect(v).toStrictEqual({ verdict: 'INTACT', findings: [] });
  });
});

describe('recordedArgsRefusal: the command checks a recorded payload is held to', () => {
  it('refuses what each command refuses, in its own words', () => {
    expect(recordedArgsRefusal('add_note', 'note', { text: '.' })?.message).toBe('note: write at least 2 characters');
    expect(recordedArgsRefusal('abort', 'ceremony_aborted', { reason: 'no' })?.message).toBe(
      'abort reason: write at least 5 characters',
    );
    expect(
      recordedArgsRefusal('sign_off_aftercare', 'aftercare_signoff', { by: ' ', text: 'all keys rotated and checked' })
        ?.message,
    ).toBe('by: who signs off');
    expect(
      recordedArgsRefusal('record_aftercare_evidence', 'aftercare_evidence', {
        item_id: 'rotate',
        text: 'rotated the access key',
        evidence_at: '2026-11-20T14:00:00.000Z',
        file_name: 'proof.png',
      })?.message,
    ).toBe('file name: given without the file hash');
  });

  it('accepts what the app accepts, and leaves alone kinds that do not keep their arguments', () => {
    expect(recordedArgsRefusal('add_note', 'note', { text: 'called Asad at 13:02', refers_to_seq: 3 })).toBeUndefined();
    expect(recordedArgsRefusal('record_aftercare_evidence', 'reconciliation_attached', { text: '' })).toBeUndefined();
    expect(recordedArgsRefusal('lock_step', 'tap_failed', {})).toBeUndefined();
  });
});

describe("plainLogText: the running log's fast text check only ever accepts what the rule accepts", () => {
  const samples = [
    'ran: aws ec2 describe-instances',
    'abc',
    'ab',
    'aaa',
    'aAa',
    'a b',
    '123',
    '12a',
    ' ab ',
    ' abc',
    '\u00a0ab\u00a0',
    'x'.repeat(2001),
    'éèê',
    'éa1',
    'did nothing: SSO came back',
    'a\tb\nc',
  ];
  for (const text of samples)
    it(JSON.stringify(text).slice(0, 30), () => {
      const rule = recordedArgsRefusal('log_action', 'action_logged', { text }) === undefined;
      // A line it declines is decided by the rule alone (history-rules.ts), so only acceptance matters.
      expect(!plainLogText(text) || rule).toBe(true);
    });
  it('accepts the usual line without asking the rule', () => {
    expect(plainLogText('ran: aws ec2 terminate-instances --instance-ids i-0abc')).toBe(true);
    expect(plainLogText('x')).toBe(false);
  });
});
