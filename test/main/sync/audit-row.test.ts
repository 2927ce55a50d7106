import { describe, expect, it } from 'vitest';
import { openJournal } from '../../../src-main/journal/journal';
import { buildAuditRow, AuditRowError, auditRowId } from '../../../src-main/sync/audit-row';
import { auditActionFor } from '../../../src-main/sync/audit-actions';
import { createJournalRowContext } from '../../../src-main/sync/journal-row-context';
import { steppingClock, useTempDir } from '../../support/temp-dir';
import { OPERATOR, seedRootLoginCeremony } from './fixtures/seed-journal';

const tempDir = useTempDir('breakglass-sync-row-');

function seeded() {
  const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
  const entries = seedRootLoginCeremony(journal, 'cer-1');
  return { journal, entries, context: createJournalRowContext(journal) };
}

describe('audit rows', () => {
  it('writes the login row exactly in the runbook schema, in the runbook order, timestamp as a Date', () => {
    const { journal, entries, context } = seeded();
    const login = entries.find((e) => e.kind === 'audit_row_written')!;
    const row = buildAuditRow(login, context);
    expect(Object.keys(row)).toEqual([
      '_id',
      'timestamp',
      'actor_id',
      'actor_role',
      'action',
      'resource_type',
      'resource_id',
      'ip_address',
      'user_agent',
      'result',
      'metadata',
    ]);
    expect(row).toEqual({
      _id: auditRowId('cer-1', login.seq),
      timestamp: new Date('2026-11-21T09:06:30.000Z'),
      actor_id: 'taha@example.com',
      actor_role: 'break_glass_root',
      action: 'break_glass_root_login',
      resource_type: 'aws_account',
      resource_id: '039624954211',
      ip_address: '203.0.113.7',
      user_agent: 'Firefox/140',
      result: 'success',
      metadata: {
        reason: 'SSO down, SEV-0',
        incident_channel: 'https://chat.example/x',
        expected_session_duration_minutes: 20,
      },
    });
    expect(Object.keys(row.metadata as object)).toEqual([
      'reason',
      'incident_channel',
      'expected_session_duration_minutes',
    ]);
    journal.close();
  });

  it('a failed root sign-in keeps its result and what happened', () => {
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    const row = {
      timestamp: '2026-11-21T09:06:30.000Z',
      actor_id: OPERATOR.id,
      actor_role: 'break_glass_root',
      action: 'break_glass_root_login',
      resource_type: 'aws_account',
      resource_id: '039624954211',
      ip_address: '203.0.113.7',
      user_agent: 'unknown',
      result: 'failure',
      metadata: {
        reason: 'SSO down, SEV-0',
        incident_channel: 'NA',
        expected_session_duration_minutes: 5,
        failure: 'MFA rejected twice',
      },
    };
    const entry = journal.append('cer-f', 'audit_row_written', { row });
    const synced = buildAuditRow(entry, createJournalRowContext(journal));
    expect(synced).toMatchObject({
      result: 'failure',
      metadata: {
        reason: 'SSO down, SEV-0',
        incident_channel: 'NA',
        expected_session_duration_minutes: 5,
        failure: 'MFA rejected twice',
      },
    });
    journal.close();
  });

  it('gives every other entry a clear action, the operator as actor and verifiable metadata', () => {
    const { journal, entries, context } = seeded();
    const rows = entries.filter((e) => e.kind !== 'audit_row_written').map((e) => buildAuditRow(e, context));
    expect(rows.map((r) => r.action)).toEqual([
      'break_glass_ceremony_started',
      'break_glass_scenario_selected',
      'break_glass_sso_probe',
      'break_glass_notify',
      'break_glass_step_locked',
      'break_glass_account_selected',
      'break_glass_sign_in',
      'break_glass_action',
      'break_glass_tap_failed',
      'break_glass_sign_out',
      'break_glass_future_kind',
    ]);
    for (const [i, row] of rows.entries()) {
      const entry = entries.filter((e) => e.kind !== 'audit_row_written')[i]!;
      expect(row.actor_id).toBe(OPERATOR.id);
      expect(row.actor_role).toBe('break_glass_root');
      expect(row.timestamp).toEqual(new Date(entry.recorded_at));
      expect(row.metadata).toMatchObject({
        ceremony_id: 'cer-1',
        seq: entry.seq,
        kind: entry.kind,
        hash: entry.hash,
        prev_hash: entry.prev_hash,
        recorded_at: entry.recorded_at,
        payload: entry.payload,
        drill: true,
      });
    }
    expect(rows.find((r) => r.action === 'break_glass_tap_failed')!.result).toBe('failure');
    journal.close();
  });

  it('carries the checkpoint signature on step_locked rows, matching the checkpoints table', () => {
    const { journal, entries, context } = seeded();
    const locked = entries.find((e) => e.kind === 'step_locked')!;
    const row = buildAuditRow(locked, context);
    const [cp] = journal.checkpoints('cer-1');
    expect((row.metadata as Record<string, unknown>).checkpoint).toEqual({
      seq: cp!.seq,
      head_hash: cp!.head_hash,
      step: 'notify',
      client_data_hash: cp!.client_data_hash,
      credential_id: cp!.credential_id,
      authenticator_data: cp!.authenticator_data,
      signature: cp!.signature,
      sign_count: cp!.sign_count,
      created_at: cp!.created_at,
    });
    journal.close();
  });

  it('finds the operator of a ceremony whose start was synced earlier (fresh context)', () => {
    const { journal, entries } = seeded();
    const fresh = createJournalRowContext(journal);
    expect(buildAuditRow(entries[5]!, fresh).actor_id).toBe(OPERATOR.id);
    journal.close();
  });

  it('marks the breakglass-role variant with its own actor_role', () => {
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    const start = journal.append('role-1', 'ceremony_started', {
      type: 'breakglass-role',
      drill: false,
      operator: OPERATOR,
      app_version: '0.1.0',
      config_source: 'test',
    });
    const row = buildAuditRow(start, createJournalRowContext(journal));
    expect(row.actor_role).toBe('break_glass_role');
    expect((row.metadata as Record<string, unknown>).drill).toBe(false);
    journal.close();
  });

  it('refuses, with the entry named, what cannot become a row', () => {
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    const noStart = journal.append('cer-x', 'note', { text: 'no ceremony_started before me' });
    expect(() => buildAuditRow(noStart, createJournalRowContext(journal))).toThrow(/cer-x #0.*operator is unknown/);
    const start = journal.append('cer-y', 'ceremony_started', {
      type: 'root-login',
      drill: true,
      operator: OPERATOR,
      app_version: '1',
      config_source: 't',
    });
    const badLogin = journal.append('cer-y', 'audit_row_written', {
      row: {
        timestamp: 'yesterday',
        actor_id: 'a',
        actor_role: 'r',
        action: 'a',
        resource_type: 't',
        resource_id: '1',
        ip_address: 'i',
        user_agent: 'u',
        result: 's',
        metadata: {},
      },
    });
    const ctx = createJournalRowContext(journal);
    ctx.remember(start);
    expect(() => buildAuditRow(badLogin, ctx)).toThrow(AuditRowError);
    expect(() => buildAuditRow(badLogin, ctx)).toThrow(/row.timestamp "yesterday" is not a date/);
    const noCheckpoint = journal.append('cer-y', 'step_locked', { step: 'x', checkpoint: { seq: 0 } });
    expect(() => buildAuditRow(noCheckpoint, ctx)).toThrow(/no checkpoint row signs seq 0/);
    journal.close();
  });

  it('maps unknown kinds to break_glass_<kind>', () => {
    expect(auditActionFor('something_new')).toBe('break_glass_something_new');
    expect(auditActionFor('founder_notified')).toBe('break_glass_notify');
    expect(auditActionFor('toString')).toBe('break_glass_toString');
  });
});
