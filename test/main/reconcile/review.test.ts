import { builtInConfig } from '../../../src-shared/config/example-config';
import { readFileSync, writeFileSync } from 'node:fs';
import { saveEnrolledKey } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import { trustFileText } from '../../../src-main/evidence/trust-file';
import { createSoftwareKey } from '../../support/software-key';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCeremony } from '../../../src-main/use-cases/export-ceremony';
import { runCli } from '../../../src-main/cli/run-cli';
import { reconciliationAttachment } from '../../../src-main/reconcile/attachment';
import { renderQuarterlyReview } from '../../../src-main/reconcile/quarterly-review';
import { readReconcileInputs } from '../../../src-main/reconcile/read-inputs';
import { reconcile } from '../../../src-main/reconcile/reconcile';
import type { JsonObject } from '../../../src-shared/canonical-json';
import { useTempDir } from '../../support/temp-dir';
import {
  action as actionLogged,
  fixture,
  openTestJournal,
  roleSteps,
  rootLoginSteps,
  trustFileOf,
  type Step,
  verifiedFixture,
  writeSignedSteps,
} from './support/ceremony-journal';
import { valueOf } from '../../support/unwrap-handlers';

const tempDir = useTempDir('breakglass-review-');

async function cli(now: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    now: () => new Date(now),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const shift = (steps: Step[], days: number): Step[] =>
  steps.map((s) => {
    const move = (v: string) => new Date(Date.parse(v) + days * 86_400_000).toISOString();
    const payload = Object.fromEntries(
      Object.entries(s.payload).map(([k, v]) => [
        k,
        typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? move(v) : v,
      ]),
    ) as JsonObject;
    return { ...s, at: move(s.at), payload };
  });

/** A journal with a reconciled real root login, a role drill, an aborted attempt and an old ceremony. */
function seedJournal(): string {
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  const { journal, clock } = openTestJournal(dataDir);
  const key = createSoftwareKey();
  saveEnrolledKey(journal.db, key.enrolled);
  const writeSteps = (j: typeof journal, c: typeof clock, id: string, steps: Step[]) =>
    writeSignedSteps(j, c, id, steps, key);
  try {
    writeSteps(journal, clock, 'root-prod-0520', [
      ...rootLoginSteps(),
      {
        at: '2026-05-20T15:00:00.000Z',
        kind: 'aftercare_evidence',
        payload: {
          item_id: 'root.rotate-credentials',
          text: 'Deleted AKIAQ3EXAMPLETMPKEY and user tmp-breakglass',
          evidence_at: '2026-05-20T15:00:00.000Z',
        },
      },
    ]);
    const bundleFile = valueOf(
      exportCeremony({
        journal,
        ceremonyId: 'root-prod-0520',
        outDir: path.join(dir, 'export'),
        keys: [key.enrolled],
        now: new Date('2026-05-20T16:00:00.000Z'),
        config: builtInConfig(),
      }),
    ).bundlePath;
    writeFileSync(trustFileOf(path.join(dir, 'export')), trustFileText([key.enrolled]));
    const r = reconcile(
      readReconcileInputs({
        bundle: verifiedFixture(bundleFile),
        cloudtrail: [
          fixture('cloudtrail', 'root-session-page1.json'),
          fixture('cloudtrail', 'root-session-page2.json'),
        ],
      }),
    );
    writeSteps(journal, clock, 'root-prod-0520', [
      { at: '2026-05-20T16:05:00.000Z', kind: 'reconciliation_attached', payload: reconciliationAttachment(r) },
    ]);

    writeSteps(
      journal,
      clock,
      'role-drill-0402',
      shift(roleSteps(), -48).map((s) =>
        s.kind === 'ceremony_started' ? { ...s, payload: { ...s.payload, drill: true } } : s,
      ),
    );
    writeSteps(journal, clock, 'aborted-0525', [
      { ...rootLoginSteps()[0]!, at: '2026-05-25T08:00:00.000Z' },
      { at: '2026-05-25T08:05:00.000Z', kind: 'ceremony_aborted', payload: { reason: 'SSO came back' } },
    ]);
    writeSteps(journal, clock, 'root-old-1201', shift(rootLoginSteps(), -170));
  } finally {
    journal.close();
  }
  return dataDir;
}

describe('breakglass review', () => {
  it('lists every ceremony in range with minimal action, rotation and agreement', async () => {
    const dataDir = seedJournal();
    const r = await cli(
      '2026-07-01T09:00:00Z',
      'review',
      '--data-dir',
      dataDir,
      '--from',
      '2026-04-01',
      '--to',
      '2026-06-30',
    );
    expect(r.code).toBe(1);
    const doc = r.out;
    expect(doc).toContain('3 ceremonies in range.');
    expect(doc).not.toContain('### root-old-1201');
    const root = doc.slice(
      doc.indexOf('### root-prod-0520'),
      doc.indexOf('### ', doc.indexOf('### root-prod-0520') + 4),
    );
    expect(root).toContain('| Minimal action confirmed | Terminated the wedged orders worker');
    expect(root).toContain('| Rotation evidence | Deleted AKIAQ3EXAMPLETMPKEY and user tmp-breakglass (2026-05-20) |');
    expect(root).toContain('| Audit row | agrees |');
    expect(root).toContain('| CloudTrail | differs: 3 undeclared call(s), 1 declared call(s) missing; 2 read-only |');
    expect(root).toContain('| Journal, audit row and CloudTrail agree | NO |');
    const drill = doc.slice(doc.indexOf('### role-drill-0402 (drill)'));
    expect(drill).toContain('| Rotation evidence | NONE |');
    expect(drill).toContain('| CloudTrail | not reconciled |');
    expect(doc).toContain('| Outcome | aborted: SSO came back |');
    expect(r.err).toContain('warning: role-drill-0402: no rotation evidence');
    expect(r.err).toContain('warning: root-prod-0520: CloudTrail differs');
    expect(r.err).not.toContain('aborted-0525');
    expect(r.err).not.toContain('last 90 days');
  });

  it('has the "When this runbook last worked" table, newest first, completed ceremonies only', async () => {
    const dataDir = seedJournal();
    const r = await cli(
      '2026-07-01T09:00:00Z',
      'review',
      '--data-dir',
      dataDir,
      '--from',
      '2026-04-01',
      '--to',
      '2026-06-30',
    );
    const table = r.out.slice(r.out.indexOf('## When this runbook last worked'), r.out.indexOf('## Findings'));
    const rows = table.split('\n').filter((l) => /^\| \d{4}-/.test(l));
    expect(rows.map((l) => l.split('|')[2]?.trim())).toEqual(['root-prod-0520', 'role-drill-0402', 'root-old-1201']);
    expect(rows[0]).toContain('| Taha: sso-down | real; root-login; after-care 1/4;');
    expect(rows[1]).toContain('drill; breakglass-role');
  });

  it('warns when nothing exercised the runbook in the last 90 days', async () => {
    const dataDir = seedJournal();
    const r = await cli(
      '2026-09-01T09:00:00Z',
      'review',
      '--data-dir',
      dataDir,
      '--from',
      '2026-07-01',
      '--to',
      '2026-08-31',
    );
    expect(r.out).toContain(
      '> **WARNING:** no real or drill break-glass ceremony in the last 90 days (last: 2026-05-20)',
    );
    expect(r.out).toContain('No ceremonies in this range.');
    expect(r.code).toBe(1);
  });

  it('writes the report to --out', async () => {
    const dataDir = seedJournal();
    const file = path.join(tempDir(), 'q2.md');
    const r = await cli(
      '2026-07-01T09:00:00Z',
      'review',
      '--data-dir',
      dataDir,
      '--from',
      '2026-04-01',
      '--to',
      '2026-06-30',
      '--out',
      file,
    );
    expect(r.out).toBe(`wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^# Quarterly access review: break-glass, 2026-04-01 to 2026-06-30/);
  });

  it('rejects bad dates and a missing journal without creating one', async () => {
    const dir = tempDir();
    expect(
      await cli('2026-07-01T09:00:00Z', 'review', '--data-dir', dir, '--from', 'last quarter', '--to', '2026-06-30'),
    ).toMatchObject({ code: 2, err: expect.stringContaining('--from "last quarter" is not a date') });
    expect(
      await cli('2026-07-01T09:00:00Z', 'review', '--data-dir', dir, '--from', '2026-07-01', '--to', '2026-06-30'),
    ).toMatchObject({ code: 2, err: expect.stringContaining('--from is after --to') });
    const missing = await cli(
      '2026-07-01T09:00:00Z',
      'review',
      '--data-dir',
      path.join(dir, 'nope'),
      '--from',
      '2026-04-01',
      '--to',
      '2026-06-30',
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no journal at');
    expect((await cli('2026-07-01T09:00:00Z', 'review', '--data-dir', dir, '--to', '2026-06-30')).err).toContain(
      '--from is required',
    );
  });
});

describe('renderQuarterlyReview', () => {
  const entriesOf = (steps: Step[]) =>
    steps.map((s, seq) => ({
      ceremony_id: 'c-x',
      seq,
      kind: s.kind,
      payload: s.payload,
      recorded_at: s.at,
      prev_hash: '0'.repeat(64),
      hash: '0'.repeat(64),
    }));

  it('reports an audit row that disagrees with the journal and a broken chain', () => {
    const steps = rootLoginSteps().map((s) =>
      s.kind === 'audit_row_written'
        ? { ...s, payload: { row: { ...(s.payload.row as JsonObject), ip_address: '192.0.2.1' } } }
        : s,
    );
    const review = renderQuarterlyReview(
      [
        {
          ceremony_id: 'c-x',
          entries: entriesOf(steps),
          evidence: {
            verdict: 'TAMPERED',
            findings: [{ verdict: 'TAMPERED', seq: 4, reason: 'the entry was edited' }],
          },
        },
      ],
      {
        from: new Date('2026-05-01T00:00:00Z'),
        to: new Date('2026-05-31T23:59:59Z'),
        now: new Date('2026-06-01T00:00:00Z'),
      },
    );
    expect(review.markdown).toContain('| Audit row | differs: IP 192.0.2.1 vs 203.0.113.7 |');
    expect(review.markdown).toContain('| Journal | TAMPERED: seq 4: the entry was edited |');
    expect(review.warnings).toContain(
      'c-x: its evidence verifies as TAMPERED, not INTACT (seq 4: the entry was edited)',
    );
  });

  it('shows the SSO check and the session warnings, and warns when SSO was not confirmed down or an anti-pattern was logged', () => {
    const range = {
      from: new Date('2026-05-01T00:00:00Z'),
      to: new Date('2026-05-31T23:59:59Z'),
      now: new Date('2026-06-01T00:00:00Z'),
    };
    const clean = renderQuarterlyReview(
      [{ ceremony_id: 'c-x', entries: entriesOf(rootLoginSteps()), evidence: { verdict: 'INTACT', findings: [] } }],
      range,
    );
    expect(clean.markdown).toContain('| SSO check | sso_unavailable |');
    const logged = rootLoginSteps()
      .filter((x) => x.kind === 'action_logged')
      .reduce((n, x) => n + (x.payload.warnings as unknown[]).length, 0);
    expect(clean.markdown).toContain(`| Warnings during the session | ${logged} |`);
    expect(clean.warnings.some((w) => w.includes('SSO was not confirmed down'))).toBe(false);

    const steps = rootLoginSteps().flatMap((x) =>
      x.kind === 'sso_probe'
        ? [
            { ...x, payload: { ...x.payload, outcome: 'inconclusive' } },
            { ...x, payload: { ...x.payload, outcome: 'inconclusive' } },
          ]
        : x.kind === 'minimal_action_done'
          ? [actionLogged(x.at, 'ran: aws iam create-access-key --user-name tmp'), x]
          : [x],
    );
    const doubtful = renderQuarterlyReview(
      [{ ceremony_id: 'c-x', entries: entriesOf(steps), evidence: { verdict: 'INTACT', findings: [] } }],
      range,
    );
    expect(doubtful.markdown).toContain('| SSO check | inconclusive (after 2 tries) |');
    expect(doubtful.warnings).toContain('c-x: SSO was not confirmed down (inconclusive (after 2 tries))');
    expect(doubtful.warnings.find((w) => w.includes('anti-pattern warning(s) on logged actions'))).toMatch(
      new RegExp(`^c-x: ${logged + 1} anti-pattern`),
    );
  });

  it('a failed root sign-in is not a completed run: said so, warned, and not "when this runbook last worked"', () => {
    const range = {
      from: new Date('2026-05-01T00:00:00Z'),
      to: new Date('2026-05-31T23:59:59Z'),
      now: new Date('2026-06-01T00:00:00Z'),
    };
    const steps = rootLoginSteps()
      .filter((x) => x.kind !== 'action_logged' && x.kind !== 'minimal_action_done')
      .map((x) =>
        x.kind === 'audit_row_written'
          ? {
              ...x,
              payload: {
                row: {
                  ...(x.payload.row as JsonObject),
                  result: 'failure',
                  metadata: {
                    ...((x.payload.row as JsonObject).metadata as JsonObject),
                    failure: 'MFA rejected twice',
                  },
                },
              },
            }
          : x,
      );
    const review = renderQuarterlyReview(
      [{ ceremony_id: 'c-x', entries: entriesOf(steps), evidence: { verdict: 'INTACT', findings: [] } }],
      range,
    );
    expect(review.markdown).toContain('| Outcome | root sign-in failed: MFA rejected twice |');
    expect(review.warnings).toContain(
      'c-x: the root sign-in failed (MFA rejected twice); check CloudTrail shows no console session',
    );
    expect(review.warnings.some((w) => w.includes('minimal action not confirmed'))).toBe(false);
    const lastWorked = review.markdown.slice(review.markdown.indexOf('## When this runbook last worked'));
    expect(lastWorked).toContain('Never: no completed ceremony in this journal.');
  });

  it('warns "never" on an empty journal', () => {
    const review = renderQuarterlyReview([], {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-03-31T23:59:59Z'),
      now: new Date('2026-04-01T00:00:00Z'),
    });
    expect(review.warnings).toEqual([
      'no real or drill break-glass ceremony in the last 90 days (last: never): the runbook is stale; schedule a drill at the next game-day',
    ]);
    expect(review.markdown).toContain('Never: no completed ceremony in this journal.');
  });
});
