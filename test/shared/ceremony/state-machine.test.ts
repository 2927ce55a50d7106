import { describe, expect, it } from 'vitest';
import type { CeremonyCommand } from '../../../src-shared/ceremony/commands';
import { orderRefusal } from '../../../src-shared/ceremony/check-command';
import { witnessCode } from '../../../src-shared/ceremony/witness-code';
import { CeremonySim, P0_EVIDENCE, REASON, SSO_DOWN_EVIDENCE, rootCeremonyUntil } from './ceremony-sim';

function refusal(sim: CeremonySim, command: CeremonyCommand) {
  const before = sim.entries.length;
  const d = sim.run(command);
  expect(sim.entries.length).toBe(before); // a refused command writes nothing
  if (d.ok) throw new Error(`${command.name} was accepted but should be refused`);
  return d.error;
}

describe('root-login ceremony: the happy path', () => {
  it('walks every step in order, derives the state from the entries alone', () => {
    const sim = new CeremonySim();
    let s = sim.state();
    expect(s.current_step).toBe('scenario');
    expect(s.steps.map((x) => x.id)).toEqual([
      'scenario',
      'sso_probe',
      'notify',
      'sign_in',
      'audit_row',
      'minimal_action',
      'sign_out',
    ]);
    expect(s.drill).toBe(true);

    sim.must({
      name: 'select_scenario',
      args: { scenario_id: 'sso-down', evidence: SSO_DOWN_EVIDENCE, reason: REASON },
    });
    s = sim.state();
    expect(s.steps[0]).toMatchObject({ status: 'done', detail: 'tap your key to lock this step' });
    expect(s.allowed.lock_step).toEqual({ ok: true });
    sim.lock('scenario');
    expect(sim.state().current_step).toBe('sso_probe');

    const full = rootCeremonyUntil('aftercare');
    s = full.state();
    expect(s.phase).toBe('aftercare');
    expect(s.current_step).toBeNull();
    expect(s.steps.every((x) => x.status === 'locked' || (!x.locks_with_tap && x.status === 'done'))).toBe(true);
    expect(s.account).toMatchObject({ name: 'Production', account_id: '039624954211' });
    expect(s.audit_row).toMatchObject({
      actor_id: 'taha@example.com',
      actor_role: 'break_glass_root',
      action: 'break_glass_root_login',
      resource_type: 'aws_account',
      resource_id: '039624954211',
      ip_address: '203.0.113.7',
      user_agent: 'Mozilla/5.0 (test)',
      result: 'success',
      metadata: {
        reason: REASON,
        incident_channel: 'https://chat.google.com/room/AAA',
        expected_session_duration_minutes: 20,
      },
    });
    expect(Object.keys(s.audit_row!).sort()).toEqual(
      [
        'seq',
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
      ].sort(),
    );
    expect(s.actions[0]!.payload.parsed[0]).toMatchObject({
      iam_action: 'ec2:TerminateInstances',
      event_source: 'ec2.amazonaws.com',
      read_only: false,
    });
    expect(s.sign_out!.duration_minutes).toBe(8);
    expect(s.aftercare?.items.map((i) => i.id)).toContain('root.rotate-credentials');
    // Nothing is allowed any more except notes and after-care.
    expect(s.allowed.select_scenario.ok).toBe(false);
    expect(s.allowed.add_note.ok).toBe(true);
    expect(s.allowed.record_aftercare_evidence.ok).toBe(true);
  });

  it('gives every founder the same witness code (the head when the first was told) and a final code at sign-out', () => {
    const sim = rootCeremonyUntil('notify');
    const head = sim.entries.at(-1)!;
    sim.must({ name: 'notify_founder', args: { contact_id: 'asad', channel: 'call', acknowledged: true } });
    sim.must({ name: 'notify_founder', args: { contact_id: 'ian', channel: 'text', acknowledged: false } });
    const s = sim.state();
    const expected = witnessCode({ seq: head.seq, hash: head.hash }).text;
    expect(s.founders.map((f) => f.notification?.witness_code)).toEqual([expected, expected]);
    expect(s.witness.notify?.text).toBe(expected);
    expect(s.warnings.join(' ')).toMatch(/Not acknowledged yet: Ian/);

    const done = rootCeremonyUntil('aftercare');
    const lock = done.entries.filter((e) => e.kind === 'step_locked').at(-1)!;
    expect(done.state().witness.final?.text).toBe(witnessCode({ seq: lock.seq, hash: lock.hash }).text);
  });

  it('keeps the notify step open until every founder acknowledged; the acknowledgement is recorded when it comes', () => {
    const sim = rootCeremonyUntil('notify');
    sim.must({ name: 'notify_founder', args: { contact_id: 'asad', channel: 'call', acknowledged: true } });
    sim.must({ name: 'notify_founder', args: { contact_id: 'ian', channel: 'text', acknowledged: false } });
    expect(sim.state().steps.find((x) => x.id === 'notify')).toMatchObject({
      status: 'open',
      detail: 'wait for Ian to acknowledge, then record it',
    });
    expect(orderRefusal(sim.state(), 'lock_step', 'notify')).toMatchObject({
      code: 'out-of-order',
      message: /wait for Ian to acknowledge/,
    });
    sim.must({ name: 'notify_founder', args: { contact_id: 'ian', channel: 'text', acknowledged: true } });
    expect(sim.state().steps.find((x) => x.id === 'notify')?.status).toBe('done');
    expect(orderRefusal(sim.state(), 'lock_step', 'notify')).toBeUndefined();
  });

  it('lets an unlocked step be corrected by a new entry, and only notes after the lock', () => {
    const sim = new CeremonySim();
    sim.must({
      name: 'select_scenario',
      args: {
        scenario_id: 'console-outage',
        evidence: {
          region: 'us-east-1',
          console_error: 'Console sign-in page returns 500 error',
          console_action: 'Re-enable the root MFA device in the console',
        },
        reason: REASON,
      },
    });
    sim.must({
      name: 'select_scenario',
      args: { scenario_id: 'sso-down', evidence: SSO_DOWN_EVIDENCE, reason: REASON },
    });
    expect(sim.state().scenario?.scenario_id).toBe('sso-down');
    expect(sim.entries.filter((e) => e.kind === 'scenario_selected')).toHaveLength(2); // nothing rewritten
    sim.lock('scenario');
    expect(
      refusal(sim, {
        name: 'select_scenario',
        args: { scenario_id: 'sso-down', evidence: SSO_DOWN_EVIDENCE, reason: REASON },
      }).code,
    ).toBe('locked');
    sim.must({ name: 'add_note', args: { text: 'Correction: the IdP region is eu-west-1', refers_to_seq: 1 } });
    expect(sim.state().notes[0]).toMatchObject({ refers_to_seq: 1 });
  });
});

describe('every ordering violation is refused with a reason', () => {
  const scenarioArgs = { scenario_id: 'sso-down', evidence: SSO_DOWN_EVIDENCE, reason: REASON };
  const cases: Array<[string, () => CeremonySim, CeremonyCommand, string, RegExp]> = [
    [
      'SSO probe before the scenario is locked',
      () => new CeremonySim(),
      { name: 'probe_sso', args: {} },
      'out-of-order',
      /scenario/,
    ],
    [
      'notify before the SSO probe',
      () => rootCeremonyUntil('sso_probe'),
      { name: 'notify_founder', args: { contact_id: 'asad', channel: 'call', acknowledged: true } },
      'out-of-order',
      /SSO/,
    ],
    [
      'a second SSO probe ("try once")',
      () => rootCeremonyUntil('notify'),
      { name: 'probe_sso', args: {} },
      'one-try',
      /try once/,
    ],
    [
      'picking the account before notify is locked',
      () => rootCeremonyUntil('notify'),
      { name: 'select_account', args: { account_name: 'Production' } },
      'out-of-order',
      /Notify the founders/,
    ],
    [
      'login before notify is locked',
      () => rootCeremonyUntil('notify'),
      { name: 'record_sign_in', args: {} },
      'out-of-order',
      /impossible before the founders know/,
    ],
    [
      'sign-in before the account is picked',
      () => rootCeremonyUntil('sign_in'),
      { name: 'record_sign_in', args: {} },
      'out-of-order',
      /account/,
    ],
    [
      'audit row before sign-in is locked',
      () => rootCeremonyUntil('sign_in'),
      { name: 'write_audit_row', args: { incident_channel: 'NA', expected_session_duration_minutes: 15 } },
      'out-of-order',
      /Sign in/,
    ],
    [
      'minimal action before the audit row (skipping it)',
      () => rootCeremonyUntil('audit_row'),
      { name: 'log_action', args: { text: 'aws ec2 describe-instances' } },
      'out-of-order',
      /cannot be skipped/,
    ],
    [
      'finishing the action before the audit row',
      () => rootCeremonyUntil('audit_row'),
      { name: 'finish_minimal_action', args: { summary: 'did the needed thing quickly' } },
      'out-of-order',
      /audit row/,
    ],
    [
      'sign-out before the audit row',
      () => rootCeremonyUntil('audit_row'),
      { name: 'record_sign_out', args: {} },
      'out-of-order',
      /Sign-out before the audit row/,
    ],
    [
      'sign-out before the minimal action is summarised',
      () => rootCeremonyUntil('minimal_action'),
      { name: 'record_sign_out', args: {} },
      'out-of-order',
      /minimal/,
    ],
    [
      'finishing the minimal action with nothing logged',
      () => rootCeremonyUntil('minimal_action'),
      { name: 'finish_minimal_action', args: { summary: 'fixed the trust policy by hand' } },
      'out-of-order',
      /running log is the definitive record/,
    ],
    [
      'a second audit row',
      () => rootCeremonyUntil('minimal_action'),
      { name: 'write_audit_row', args: { incident_channel: 'NA', expected_session_duration_minutes: 15 } },
      'locked',
      /already written/,
    ],
    [
      'changing the scenario after its lock',
      () => rootCeremonyUntil('sso_probe'),
      { name: 'select_scenario', args: scenarioArgs },
      'locked',
      /Corrections are notes/,
    ],
    [
      'abort while signed in',
      () => rootCeremonyUntil('audit_row'),
      { name: 'abort', args: { reason: 'changed my mind about this' } },
      'out-of-order',
      /sign out/,
    ],
    [
      'logging after the action is finished',
      () => rootCeremonyUntil('sign_out'),
      { name: 'log_action', args: { text: 'aws s3 ls' } },
      'finished',
      /Sign out now/,
    ],
    [
      'a role session in a root ceremony',
      () => rootCeremonyUntil('sign_in'),
      {
        name: 'record_role_session',
        args: {
          source: 'vault',
          role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency',
          session_started_at: '2026-05-20T13:00:00Z',
          expiration: '2026-05-20T14:00:00Z',
        },
      },
      'out-of-order',
      /role/,
    ],
    [
      'after-care before sign-out',
      () => rootCeremonyUntil('sign_out'),
      {
        name: 'record_aftercare_evidence',
        args: { item_id: 'root.session-log', text: 'docs/session-log/2026-05-20-x.md committed' },
      },
      'out-of-order',
      /sign-out/,
    ],
  ];
  for (const [name, setup, command, code, message] of cases) {
    it(`refuses ${name}`, () => {
      const sim = setup();
      const r = refusal(sim, command);
      expect(r.code).toBe(code);
      expect(r.message).toMatch(message);
      // The state says the same thing before the command is tried (the UI shows it).
      const allowed = sim.state().allowed[command.name as Exclude<CeremonyCommand['name'], 'start'>];
      if (r.code !== 'invalid-input') expect(allowed).toEqual({ ok: false, error: r });
    });
  }

  it('refuses locking a step before it has content, out of order, twice, or a step without a tap', () => {
    const sim = new CeremonySim();
    expect(orderRefusal(sim.state(), 'lock_step', 'scenario')).toMatchObject({
      code: 'out-of-order',
      message: /Nothing to lock yet/,
    });
    expect(orderRefusal(sim.state(), 'lock_step', 'notify')).toMatchObject({ code: 'out-of-order' });
    expect(orderRefusal(sim.state(), 'lock_step', 'sso_probe')).toMatchObject({ code: 'invalid-input' });
    expect(orderRefusal(sim.state(), 'lock_step', 'role_session')).toMatchObject({ code: 'invalid-input' });
    const later = rootCeremonyUntil('sso_probe');
    expect(orderRefusal(later.state(), 'lock_step', 'scenario')).toMatchObject({ code: 'locked' });
  });

  it('blocks the SSO-down scenario when the probe says SSO works; abort stays possible', () => {
    const sim = rootCeremonyUntil('sso_probe');
    sim.append('sso_probe', {
      profile: 'p',
      region: 'us-east-1',
      endpoint: 'https://sts.us-east-1.amazonaws.com',
      attempted_at: sim.iso(),
      outcome: 'sso_working',
      caller_arn: 'arn:aws:sts::039624954211:assumed-role/AWSReservedSSO_Admin/taha',
    });
    const s = sim.state();
    expect(s.steps.find((x) => x.id === 'sso_probe')?.status).toBe('blocked');
    expect(s.warnings.join(' ')).toMatch(/cannot proceed/);
    const r = refusal(sim, {
      name: 'notify_founder',
      args: { contact_id: 'asad', channel: 'call', acknowledged: true },
    });
    expect(r).toMatchObject({ code: 'not-authorised', message: /SSO works/ });
    expect(orderRefusal(s, 'lock_step', 'notify')?.code).toBeDefined();
    sim.must({ name: 'abort', args: { reason: 'SSO works; using the standard path' } });
    expect(sim.state().phase).toBe('aborted');
    expect(refusal(sim, { name: 'select_account', args: { account_name: 'Production' } }).code).toBe('finished');
    sim.must({ name: 'add_note', args: { text: 'noted after abort' } });
  });

  it('lets another scenario proceed when SSO works, with a warning', () => {
    const sim = new CeremonySim();
    sim
      .must({
        name: 'select_scenario',
        args: {
          scenario_id: 'console-outage',
          evidence: {
            region: 'us-east-1',
            console_error: 'Console sign-in page returns 500 error',
            console_action: 'Re-enable the root MFA device in the console',
          },
          reason: REASON,
        },
      })
      .lock('scenario');
    sim.append('sso_probe', {
      profile: 'p',
      region: 'us-east-1',
      endpoint: 'x',
      attempted_at: sim.iso(),
      outcome: 'sso_working',
    });
    sim.must({ name: 'notify_founder', args: { contact_id: 'asad', channel: 'call', acknowledged: true } });
    expect(sim.state().warnings.join(' ')).toMatch(/really needs root/);
  });

  it('refuses a sign-in time backdated to before the founders were notified', () => {
    const sim = rootCeremonyUntil('sign_in');
    sim.must({ name: 'select_account', args: { account_name: 'production' } });
    const r = refusal(sim, { name: 'record_sign_in', args: { signed_in_at: sim.iso(-10) } });
    expect(r.message).toMatch(/before the founders were notified/);
  });
});

describe('breakglass-role ceremony', () => {
  it('records approver, cleanup owner, expiration and a countdown; a second session is a new ceremony', () => {
    const sim = new CeremonySim('breakglass-role');
    expect(sim.state().steps.map((s) => s.id)).toEqual([
      'scenario',
      'notify',
      'role_session',
      'minimal_action',
      'sign_out',
    ]);
    expect(refusal(sim, { name: 'probe_sso', args: {} }).code).toBe('out-of-order');
    sim
      .must({
        name: 'select_scenario',
        args: {
          scenario_id: 'p0-role',
          evidence: P0_EVIDENCE,
          reason: 'P0 IRSA lockout needs iam:UpdateAssumeRolePolicy now',
        },
      })
      .lock('scenario');
    sim.must({ name: 'notify_founder', args: { contact_id: 'asad', channel: 'text', acknowledged: true } });
    sim
      .must({ name: 'notify_founder', args: { contact_id: 'ian', channel: 'call', acknowledged: true } })
      .lock('notify');
    expect(
      refusal(sim, { name: 'write_audit_row', args: { incident_channel: 'NA', expected_session_duration_minutes: 10 } })
        .code,
    ).toBe('out-of-order');
    sim
      .must({
        name: 'record_role_session',
        args: {
          source: 'vault',
          role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency',
          session_started_at: sim.iso(),
          expiration: sim.iso(60),
        },
      })
      .lock('role_session');
    let s = sim.state();
    expect(s.role_session).toMatchObject({ approver: '@alice', cleanup_owner: '@bob', source: 'vault' });
    expect(s.timer).toMatchObject({ expected_minutes: 60, remaining_minutes: 60, level: 'ok' });
    sim.tick(61);
    s = sim.state();
    expect(s.timer).toMatchObject({ remaining_minutes: -1, level: 'warning' });
    expect(s.aftercare).not.toBeNull(); // the cleanup clock starts at session start
    const again = refusal(sim, {
      name: 'record_role_session',
      args: {
        source: 'vault',
        role_arn: 'arn:aws:iam::039624954211:role/breakglass-emergency',
        session_started_at: sim.iso(),
        expiration: sim.iso(60),
      },
    });
    expect(again).toMatchObject({ code: 'locked', message: /renewal is a separate incident/ });
    const signoff = refusal(sim, {
      name: 'sign_off_aftercare',
      args: { item_id: 'cleanup.owner-signoff', by: '@mallory', text: 'all steps done and checked' },
    });
    expect(signoff.message).toMatch(/only the cleanup owner/);
  });

  it('refuses the operator as their own approver, a role that is not the configured one, and a renewal without justification', () => {
    const sim = new CeremonySim('breakglass-role');
    const self = refusal(sim, {
      name: 'select_scenario',
      args: {
        scenario_id: 'p0-role',
        evidence: { ...P0_EVIDENCE, approver: 'Taha' },
        reason: 'P0 IRSA lockout needs a role change',
      },
    });
    expect(self.message).toMatch(/someone other than the operator/);
    const renewal = new CeremonySim('breakglass-role', { linked: 'bg-20260520-aaaa0001' });
    const r = refusal(renewal, {
      name: 'select_scenario',
      args: { scenario_id: 'p0-role', evidence: P0_EVIDENCE, reason: 'P0 IRSA lockout needs a role change' },
    });
    expect(r.message).toMatch(/renewal is a separate incident and needs its own justification/);
    renewal.must({
      name: 'select_scenario',
      args: {
        scenario_id: 'p0-role',
        evidence: {
          ...P0_EVIDENCE,
          renewal_justification: 'rollback still running; cleanup of session one has started',
        },
        reason: 'P0 IRSA lockout needs a role change',
      },
    });
    sim
      .must({
        name: 'select_scenario',
        args: { scenario_id: 'p0-role', evidence: P0_EVIDENCE, reason: 'P0 IRSA lockout needs a role change' },
      })
      .lock('scenario');
    sim.must({ name: 'notify_founder', args: { contact_id: 'asad', channel: 'text', acknowledged: true } });
    sim
      .must({ name: 'notify_founder', args: { contact_id: 'ian', channel: 'call', acknowledged: true } })
      .lock('notify');
    const wrong = refusal(sim, {
      name: 'record_role_session',
      args: {
        source: 'vault',
        role_arn: 'arn:aws:iam::039624954211:role/admin',
        session_started_at: sim.iso(),
        expiration: sim.iso(60),
      },
    });
    expect(wrong).toMatchObject({ code: 'not-authorised', message: /not the configured breakglass role/ });
  });
});

describe('timer', () => {
  it('warns at 100 % and 150 % of the expected duration', () => {
    const sim = rootCeremonyUntil('minimal_action'); // expected 20 min, signed in at the audit-row time
    const start = Date.parse(sim.state().sign_in!.signed_in_at);
    sim.now = start + 19 * 60_000;
    expect(sim.state().timer).toMatchObject({ level: 'ok', message: null });
    sim.now = start + 20 * 60_000;
    expect(sim.state().timer).toMatchObject({ level: 'warning', ratio: 1 });
    sim.now = start + 30 * 60_000;
    const s = sim.state();
    expect(s.timer).toMatchObject({ level: 'critical', ratio: 1.5 });
    expect(s.warnings.join(' ')).toMatch(/Sign out now/);
  });
});
