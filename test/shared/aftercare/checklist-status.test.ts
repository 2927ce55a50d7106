import { describe, expect, it } from 'vitest';
import { BREAKGLASS_CLEANUP } from '../../../src-shared/aftercare/breakglass-cleanup';
import {
  ceremonyChecklistStatus,
  ceremonyTypeOf,
  checklistFor,
  cleanupOwnerOf,
  clockStartOf,
} from '../../../src-shared/aftercare/ceremony-checklist';
import { checklistStatus } from '../../../src-shared/aftercare/checklist-status';
import { ROOT_LOGIN_AFTERCARE } from '../../../src-shared/aftercare/root-login-aftercare';
import type { JsonObject } from '../../../src-shared/canonical-json';
import type { JournalEntry } from '../../../src-shared/journal/types';
import { seededRng } from '../../support/seeded-rng';

let seq = 0;
function entry(kind: string, payload: JsonObject, recorded_at = '2026-05-20T13:00:00.000Z'): JournalEntry {
  return {
    ceremony_id: 'c-1',
    seq: seq++,
    kind,
    payload,
    recorded_at,
    prev_hash: '0'.repeat(64),
    hash: 'f'.repeat(64),
  };
}
const evidence = (item_id: string, text: string, evidence_at: string, extra: JsonObject = {}) =>
  entry('aftercare_evidence', { item_id, text, evidence_at, ...extra }, evidence_at);
const START = '2026-05-20T13:00:00.000Z';
const at = (h: number) => new Date(Date.parse(START) + h * 3_600_000).toISOString();
const SHA = 'a'.repeat(64);

describe('checklist definitions', () => {
  it('carry every cleanup runbook step inside its window, with unique ids', () => {
    const ids = BREAKGLASS_CLEANUP.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const step of [
      'Step 1',
      'Step 2',
      'Step 3a',
      'Step 3b',
      'Step 3c',
      'Step 3d',
      'Step 4',
      'Step 5',
      'Step 6',
      'Step 7',
    ]) {
      expect(
        BREAKGLASS_CLEANUP.some((i) => i.runbook.includes(step)),
        step,
      ).toBe(true);
    }
    const windows = new Map([
      ['0-1 h', [0, 60]],
      ['1-4 h', [60, 240]],
      ['4-24 h', [240, 1440]],
    ]);
    for (const item of BREAKGLASS_CLEANUP) {
      const [from, to] = windows.get(item.window.label) ?? [NaN, NaN];
      expect(item.window.opens_after_minutes).toBeGreaterThanOrEqual(from as number);
      expect(item.window.due_after_minutes).toBeLessThanOrEqual(to as number);
      expect(item.window.due_after_minutes).toBeGreaterThan(item.window.opens_after_minutes);
    }
  });

  it('carry the four root-login after-care steps, due 24 h after sign-out', () => {
    expect(ROOT_LOGIN_AFTERCARE.map((i) => i.id)).toEqual([
      'root.session-log',
      'root.restore-standard-path',
      'root.rotate-credentials',
      'root.inform-compliance',
    ]);
    expect(ROOT_LOGIN_AFTERCARE.every((i) => i.window.due_after_minutes === 1440)).toBe(true);
  });
});

describe('checklistStatus', () => {
  it('"verify the session expired" opens at the expiry when the credentials outlive its window, never overdue by construction', () => {
    const item = (now: string, sessionExpiry?: string) =>
      checklistStatus(BREAKGLASS_CLEANUP, [], START, now, sessionExpiry ? { sessionExpiry } : {}).items.find(
        (i) => i.id === 'cleanup.verify-expiry',
      )!;
    // A 1 h TTL: the runbook's own window (1-2 h after the start).
    expect(item(at(1.5), at(1)).state).toBe('due');
    expect(item(at(2.5), at(1)).state).toBe('overdue');
    // A 3 h TTL: it cannot be done before 16:00, so it is not yet due at 15:00 nor overdue at 16:30.
    expect(item(at(2.5), at(3)).state).toBe('not-yet');
    expect(item(at(3.5), at(3)).state).toBe('due');
    expect(item(at(3.5), at(3)).due_at).toBe(at(4));
    expect(item(at(4.01), at(3)).state).toBe('overdue');
  });

  it('moves items from not-yet to due to overdue with the clock', () => {
    const state = (now: string) =>
      checklistStatus(BREAKGLASS_CLEANUP, [], START, now).items.find((i) => i.id === 'cleanup.rotate')?.state;
    expect(state(at(1))).toBe('not-yet');
    expect(state(at(2.5))).toBe('due');
    expect(state(at(3.01))).toBe('overdue');
    const s = checklistStatus(BREAKGLASS_CLEANUP, [], START, at(0.5));
    expect(s.summary).toMatchObject({
      total: BREAKGLASS_CLEANUP.length,
      done: 0,
      due: 1,
      complete: false,
      next_due_at: at(1),
    });
    expect(s.items.find((i) => i.id === 'cleanup.rotate')?.due_at).toBe(at(3));
  });

  it('counts an item done only with evidence text and a time', () => {
    const entries = [
      evidence('root.session-log', 'docs/session-log/2026-05-20-break-glass-sso-outage.md committed in abc123', at(2)),
      entry('aftercare_evidence', { item_id: 'root.restore-standard-path', text: '', evidence_at: at(2) }),
      entry('aftercare_evidence', { item_id: 'root.rotate-credentials', text: 'rotated', evidence_at: 'yesterday' }),
      entry('aftercare_evidence', { item_id: 'root.inform-compliance', text: '   ', evidence_at: at(3) }),
    ];
    const s = checklistStatus(ROOT_LOGIN_AFTERCARE, entries, START, at(3));
    const byId = Object.fromEntries(s.items.map((i) => [i.id, i]));
    expect(byId['root.session-log']?.state).toBe('done');
    expect(byId['root.session-log']?.evidence[0]?.text).toContain('session-log');
    expect(byId['root.restore-standard-path']?.state).toBe('due');
    expect(byId['root.restore-standard-path']?.rejected[0]?.reason).toContain('bare tick');
    expect(byId['root.rotate-credentials']?.rejected[0]?.reason).toContain('evidence_at');
    expect(byId['root.inform-compliance']?.state).toBe('due');
    expect(s.summary).toMatchObject({ done: 1, due: 3, overdue: 0, complete: false });
  });

  it('rejects evidence dated in the future and malformed file hashes', () => {
    const s = checklistStatus(
      ROOT_LOGIN_AFTERCARE,
      [
        entry('aftercare_evidence', { item_id: 'root.session-log', text: 'doc', evidence_at: at(30) }, at(1)),
        evidence('root.inform-compliance', 'told Asad in #compliance', at(1), { file_sha256: 'not-a-hash' }),
      ],
      START,
      at(2),
    );
    expect(s.items[0]?.rejected[0]?.reason).toContain('future');
    expect(s.items[3]?.rejected[0]?.reason).toContain('file_sha256');
    expect(s.summary.done).toBe(0);
  });

  it('requires the attached file where the runbook saves one, and marks late evidence', () => {
    const noFile = checklistStatus(
      BREAKGLASS_CLEANUP,
      [evidence('cleanup.inventory-cloudtrail', 'reviewed', at(2))],
      START,
      at(2),
    );
    expect(noFile.items.find((i) => i.id === 'cleanup.inventory-cloudtrail')).toMatchObject({
      state: 'due',
      rejected: [{ reason: expect.stringContaining('SHA-256') }],
    });
    const late = checklistStatus(
      BREAKGLASS_CLEANUP,
      [evidence('cleanup.inventory-cloudtrail', 'reviewed', at(5), { file_sha256: SHA, file_name: 'ct.json' })],
      START,
      at(6),
    );
    expect(late.items.find((i) => i.id === 'cleanup.inventory-cloudtrail')).toMatchObject({
      state: 'done',
      late: true,
      evidence: [{ file_sha256: SHA, file_name: 'ct.json' }],
    });
  });

  it('accepts the sign-off only from the cleanup owner and only once Steps 2-5 are evidenced', () => {
    const signoff = (by: string) => entry('aftercare_signoff', { by, text: 'Steps 2-5 complete' }, at(5));
    const early = checklistStatus(BREAKGLASS_CLEANUP, [signoff('@bob')], START, at(5), { cleanupOwner: 'bob' });
    const item = early.items.find((i) => i.id === 'cleanup.owner-signoff');
    expect(item?.state).toBe('due');
    expect(item?.evidence).toHaveLength(1);
    expect(item?.waiting_for).toContain('cleanup.policies-detached');

    const steps = BREAKGLASS_CLEANUP.find((i) => i.id === 'cleanup.owner-signoff')?.signoff_of ?? [];
    const all = steps.map((id) => evidence(id, `done: ${id}`, at(3.5), { file_sha256: SHA }));
    const wrong = checklistStatus(BREAKGLASS_CLEANUP, [...all, signoff('mallory')], START, at(5), {
      cleanupOwner: 'bob',
    });
    expect(wrong.items.find((i) => i.id === 'cleanup.owner-signoff')).toMatchObject({
      state: 'due',
      rejected: [{ reason: expect.stringContaining('cleanup owner is bob') }],
    });
    const right = checklistStatus(BREAKGLASS_CLEANUP, [...all, signoff('Bob')], START, at(5), { cleanupOwner: 'bob' });
    expect(right.items.find((i) => i.id === 'cleanup.owner-signoff')?.state).toBe('done');
  });

  it('rejects a bad clock instead of guessing', () => {
    expect(() => checklistStatus(ROOT_LOGIN_AFTERCARE, [], 'not a time', START)).toThrow(/clock start/);
  });
});

describe('ceremonyChecklistStatus', () => {
  it('starts the root-login clock at sign-out and the role clock at session start', () => {
    const root = [
      entry('ceremony_started', { type: 'root-login', drill: false }),
      entry('signed_out', { signed_out_at: at(1), duration_minutes: 12 }),
    ];
    expect(clockStartOf(root)).toBe(at(1));
    expect(ceremonyChecklistStatus(root, at(2))?.items.map((i) => i.id)).toContain('root.session-log');
    expect(clockStartOf(root.slice(0, 1))).toBeNull();

    const role = [
      entry('ceremony_started', { type: 'breakglass-role', drill: false }),
      entry('role_session_started', {
        role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency',
        approver: 'alice',
        cleanup_owner: 'bob',
        session_started_at: START,
        expiration: at(1),
        source: 'sts',
      }),
      entry('aftercare_signoff', { by: 'carol', text: 'done' }, at(5)),
    ];
    const s = ceremonyChecklistStatus(role, at(25));
    expect(s?.summary.overdue).toBe(BREAKGLASS_CLEANUP.length);
    expect(s?.items.find((i) => i.id === 'cleanup.owner-signoff')?.rejected[0]?.reason).toContain('bob');
  });

  it('reads the history in one pass as the searches per kind read it, duplicates and misplaced kinds included', () => {
    // What ceremonyChecklistStatus is: the exported searches composed.
    const bySearch = (e: JournalEntry[], now: string) => {
      const start = clockStartOf(e);
      if (start === null) return null;
      const owner = cleanupOwnerOf(e);
      const session = e.find((x) => x.kind === 'role_session_started');
      const expiry = session?.payload.expiration;
      return checklistStatus(checklistFor(ceremonyTypeOf(e)), e, start, now, {
        ...(owner ? { cleanupOwner: owner } : {}),
        ...(typeof expiry === 'string' && expiry.trim() ? { sessionExpiry: expiry } : {}),
      });
    };
    const rng = seededRng(0xc4ec);
    const make = (): JournalEntry => {
      const h = rng.int(40);
      switch (rng.int(8)) {
        case 0:
          return entry('ceremony_started', {
            type: rng.pick(['root-login', 'breakglass-role', 'other']),
            drill: false,
          });
        case 1:
          return entry('signed_out', { signed_out_at: rng.pick([at(h), 'not a time', '']), duration_minutes: 3 });
        case 2:
          return entry('role_session_started', {
            session_started_at: rng.pick([at(h), 'not a time']),
            cleanup_owner: rng.pick(['bob', 'carol', ' ']),
            expiration: rng.pick([at(h + 1), '']),
          });
        case 3:
          return evidence(rng.pick([...ROOT_LOGIN_AFTERCARE, ...BREAKGLASS_CLEANUP]).id, 'did it', at(h));
        case 4:
          return entry('aftercare_signoff', { by: rng.pick(['bob', 'carol']), text: 'ok' }, at(h));
        default:
          return entry('action_logged', { logged_at: at(h), parsed: [], text: 'ran: ls', warnings: [] }, at(h));
      }
    };
    let started = 0;
    for (let c = 0; c < 500; c++) {
      const e = Array.from({ length: 1 + rng.int(12) }, make);
      const now = at(rng.int(60));
      const expected = bySearch(e, now);
      if (expected) started += 1;
      expect(ceremonyChecklistStatus(e, now), JSON.stringify(e.map((x) => [x.kind, x.payload]))).toEqual(expected);
    }
    expect(started).toBeGreaterThan(50);
  });
});
