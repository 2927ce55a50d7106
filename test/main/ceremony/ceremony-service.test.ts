import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SsoProbe } from '../../../src-main/aws/sso-probe';
import { buildBundle } from '../../../src-main/bundle/build-bundle';
import { renderSessionLog } from '../../../src-main/bundle/session-log';
import { checkpointChallenge } from '../../../src-main/journal/checkpoint-challenge';
import { openJournal } from '../../../src-main/journal/journal';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import { useTempDir } from '../../support/temp-dir';
import { SSO_DOWN, makeService, manualClock, outageProbe, softwareSigner } from './service-fixture';
import { valueOf } from '../../support/unwrap-handlers';

type R = { ok: true; value: CeremonyState } | { ok: false; error: { code: string; message: string } };
function ok(r: R): CeremonyState {
  if (!r.ok) throw new Error(`refused (${r.error.code}): ${r.error.message}`);
  return r.value;
}

/** A drill root-login ceremony through the scenario, one SSO check and a locked notify step. */
async function drillThroughNotify(service: ReturnType<typeof makeService>['service']): Promise<string> {
  const id = ok(await service.start({ type: 'root-login', drill: true })).ceremony_id;
  ok(await service.selectScenario(id, SSO_DOWN));
  ok(await service.lockStep(id, { step: 'scenario' }));
  ok(await service.probeSso(id));
  ok(await service.notifyFounder(id, { contact_id: 'asad', channel: 'call', acknowledged: true }));
  ok(await service.notifyFounder(id, { contact_id: 'ian', channel: 'call', acknowledged: true }));
  ok(await service.lockStep(id, { step: 'notify' }));
  return id;
}

describe('ceremony service over the real journal', () => {
  const tempDir = useTempDir();

  it('runs the whole root-login ceremony; every lock is a checkpoint signing the head before it', async () => {
    const clock = manualClock();
    const key = softwareSigner();
    const { service, journal } = makeService(tempDir(), { clock, signer: key.signer });
    let s = ok(await service.start({ type: 'root-login', drill: false }));
    const id = s.ceremony_id;
    expect(id).toMatch(/^bg-20260520-[0-9a-f]{8}$/);
    expect(s.operator).toEqual({ id: 'taha@example.com', name: 'Taha' });
    ok(await service.selectScenario(id, SSO_DOWN));
    ok(await service.lockStep(id, { step: 'scenario' }));
    s = ok(await service.probeSso(id));
    expect(s.sso_probe?.outcome).toBe('sso_unavailable');
    clock.advance(2);
    ok(await service.notifyFounder(id, { contact_id: 'asad', channel: 'call', acknowledged: true }));
    ok(
      await service.notifyFounder(id, {
        contact_id: 'ian',
        channel: 'text',
        acknowledged: true,
        acknowledged_at: clock().toISOString(),
      }),
    );
    ok(await service.lockStep(id, { step: 'notify' }));
    clock.advance(3);
    ok(await service.selectAccount(id, { account_name: 'Production' }));
    ok(await service.recordSignIn(id, { ip_address: '198.51.100.4', user_agent: 'Mozilla/5.0 Firefox/140' }));
    ok(await service.lockStep(id, { step: 'sign_in' }));
    ok(
      await service.writeAuditRow(id, {
        incident_channel: 'https://chat.google.com/room/XYZ',
        expected_session_duration_minutes: 15,
      }),
    );
    ok(await service.lockStep(id, { step: 'audit_row' }));
    clock.advance(4);
    s = ok(await service.logAction(id, { text: 'ran: aws iam create-access-key --user-name temp' }));
    expect(s.actions[0]!.payload.parsed[0]!.iam_action).toBe('iam:CreateAccessKey');
    expect(s.actions[0]!.payload.warnings.join(' ')).toMatch(/Do NOT use root credentials to create IAM users/);
    ok(await service.finishMinimalAction(id, { summary: 'Created and then deleted a temporary access key' }));
    clock.advance(10);
    ok(
      await service.recordSignOut(id, {
        expected_return_to_normal: '  Google Workspace status page: SSO fix by 14:00 UTC  ',
      }),
    );
    s = ok(await service.lockStep(id, { step: 'sign_out' }));
    expect(s.phase).toBe('aftercare');
    expect(s.sign_out?.duration_minutes).toBe(14);
    expect(s.sign_out?.expected_return_to_normal).toBe('Google Workspace status page: SSO fix by 14:00 UTC');
    expect(renderSessionLog(valueOf(buildBundle(journal, id, [], clock())).bundle)).toContain(
      '## Expected return to normal\n\nExpected: Google Workspace status page: SSO fix by 14:00 UTC',
    );
    expect(s.timer).toMatchObject({ expected_minutes: 15, elapsed_minutes: 14, level: 'ok' });
    expect(s.witness.final).not.toBeNull();

    expect(journal.verify(id)).toMatchObject({ ok: true });
    const cps = journal.checkpoints(id);
    expect(cps.map((c) => c.step)).toEqual(['scenario', 'notify', 'sign_in', 'audit_row', 'sign_out']);
    const entries = journal.entries(id);
    for (const cp of cps) {
      const lockEntry = entries[cp.seq + 1]!;
      expect(lockEntry.kind).toBe('step_locked');
      expect(cp.head_hash).toBe(entries[cp.seq]!.hash);
      expect(cp.client_data_hash).toBe(
        checkpointChallenge({ ceremony_id: id, seq: cp.seq, head_hash: cp.head_hash, step: cp.step }).toString('hex'),
      );
    }
    expect(key.requests).toHaveLength(5);
    ok(
      await service.recordAftercareEvidence(id, {
        item_id: 'root.session-log',
        text: 'docs/session-log/2026-05-20-break-glass-fleet.md committed',
      }),
    );
    expect(ok(await service.getState(id)).aftercare?.items.find((i) => i.id === 'root.session-log')?.state).toBe(
      'done',
    );
    expect(service.list()).toEqual([expect.objectContaining({ ceremony_id: id, phase: 'aftercare', drill: false })]);
    journal.close();
  });

  it('resumes on the same step after the process dies at any point, with nothing lost', async () => {
    const dir = tempDir();
    const clock = manualClock();
    const key = softwareSigner();
    const steps: Array<(svc: ReturnType<typeof makeService>['service'], id: string) => Promise<R>> = [
      (svc, id) => svc.selectScenario(id, SSO_DOWN),
      (svc, id) => svc.lockStep(id, { step: 'scenario' }),
      (svc, id) => svc.probeSso(id),
      (svc, id) => svc.notifyFounder(id, { contact_id: 'asad', channel: 'text', acknowledged: true }),
      (svc, id) => svc.notifyFounder(id, { contact_id: 'ian', channel: 'call', acknowledged: false }),
      // Ian answers later: his acknowledgement is a new entry, and only then does the step lock.
      (svc, id) => svc.notifyFounder(id, { contact_id: 'ian', channel: 'call', acknowledged: true }),
      (svc, id) => svc.lockStep(id, { step: 'notify' }),
      (svc, id) => svc.selectAccount(id, { account_name: 'Staging' }),
      (svc, id) => svc.recordSignIn(id, {}),
      (svc, id) => svc.lockStep(id, { step: 'sign_in' }),
      (svc, id) => svc.writeAuditRow(id, { incident_channel: 'NA', expected_session_duration_minutes: 5 }),
      (svc, id) => svc.lockStep(id, { step: 'audit_row' }),
      (svc, id) => svc.logAction(id, { text: 'aws ec2 stop-instances --instance-ids i-0abc' }),
      (svc, id) => svc.finishMinimalAction(id, { summary: 'Stopped the runaway instance' }),
      (svc, id) => svc.recordSignOut(id, {}),
      (svc, id) => svc.lockStep(id, { step: 'sign_out' }),
    ];
    let { service, journal } = makeService(dir, { clock, signer: key.signer });
    const id = ok(await service.start({ type: 'root-login', drill: true })).ceremony_id;
    const seen: string[] = [];
    for (const step of steps) {
      clock.advance(1);
      const before = ok(await step(service, id));
      journal.close(); // the process dies here
      ({ service, journal } = makeService(dir, { clock, signer: key.signer }));
      const after = ok(await service.getState(id));
      expect(after).toEqual(before);
      seen.push(after.current_step ?? after.phase);
    }
    expect(seen).toEqual([
      'scenario',
      'sso_probe',
      'notify',
      'notify',
      'notify',
      'notify',
      'sign_in',
      'sign_in',
      'sign_in',
      'audit_row',
      'audit_row',
      'minimal_action',
      'minimal_action',
      'sign_out',
      'sign_out',
      'aftercare',
    ]);
    journal.close();
  });

  it('a failed or cancelled tap is journalled and leaves the step open; the next tap locks it', async () => {
    const clock = manualClock();
    const key = softwareSigner();
    const { service, journal } = makeService(tempDir(), { clock, signer: key.signer });
    const id = ok(await service.start({ type: 'root-login', drill: true })).ceremony_id;
    ok(await service.selectScenario(id, SSO_DOWN));
    key.failNext('wrong-key', 'this key is not enrolled for taha@example.com');
    const r = await service.lockStep(id, { step: 'scenario' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'tap-failed', message: expect.stringMatching(/\(wrong-key\): this key is not enrolled/) },
    });
    let s = ok(await service.getState(id));
    expect(s.tap_failures).toEqual([expect.objectContaining({ step: 'scenario', code: 'wrong-key' })]);
    expect(s.steps[0]!.status).toBe('done');
    expect(journal.checkpoints(id)).toHaveLength(0);

    // Cancel while the key waits for a touch.
    key.onSign(() => service.cancelTap());
    const cancelled = await service.lockStep(id, { step: 'scenario' });
    expect(cancelled.ok).toBe(false);
    key.onSign(null);
    s = ok(await service.getState(id));
    expect(s.tap_failures.map((t) => t.code)).toEqual(['wrong-key', 'cancelled']);

    // The journal moving under the tap (a note appended meanwhile): the signature is stale.
    key.onSign(() => journal.append(id, 'note', { text: 'written during the tap' }));
    const moved = await service.lockStep(id, { step: 'scenario' });
    expect(moved.ok).toBe(false);
    key.onSign(null);
    expect(ok(await service.getState(id)).tap_failures.at(-1)?.code).toBe('head-moved');

    s = ok(await service.lockStep(id, { step: 'scenario' }));
    expect(s.steps[0]!.status).toBe('locked');
    expect(journal.verify(id)).toMatchObject({ ok: true });
    journal.close();
  });

  it('bad input gets a clear error and writes nothing', async () => {
    const clock = manualClock();
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer });
    const id = ok(await service.start({ type: 'root-login', drill: true })).ceremony_id;
    const count = () => journal.entries(id).length;
    const cases: Array<[Promise<R>, RegExp]> = [
      [
        service.command(id, 'select_scenario', { scenario_id: 'sso-down', evidence: 'nope', reason: 'x' }),
        /select_scenario: evidence: /,
      ],
      [
        service.command(id, 'select_scenario', { ...SSO_DOWN, password: 'hunter2' }),
        /select_scenario: password: this field is not part of the form/,
      ],
      [service.command(id, 'notify_founder', null), /notify_founder: contact_id/],
      [service.command(id, 'drop_tables', {}), /unknown command "drop_tables"/],
      [service.command(id, 'lock_step', { step: 'everything' }), /lock_step: step: /],
      [service.command(id, 'add_note', { text: 42 }), /add_note: text: expected text/],
      [service.getState('bg-nope-0000'), /no ceremony "bg-nope-0000"/],
    ];
    for (const [promise, message] of cases) {
      const r = await promise;
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(message);
    }
    expect(count()).toBe(1);
    expect(
      (await service.start({ type: 'root-login', drill: true, operator_id: 'mallory@example.com' })) as R,
    ).toMatchObject({ ok: false, error: { code: 'not-authorised' } });
    expect(await service.start({ type: 'root-login', drill: true, extra: 1 } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    journal.close();
  });

  it('tries SSO once, even on a double click', async () => {
    const clock = manualClock();
    const calls = { n: 0 };
    const { service, journal } = makeService(tempDir(), {
      clock,
      signer: softwareSigner().signer,
      ssoProbe: outageProbe(calls),
    });
    const id = ok(await service.start({ type: 'root-login', drill: true })).ceremony_id;
    ok(await service.selectScenario(id, SSO_DOWN));
    ok(await service.lockStep(id, { step: 'scenario' }));
    const [a, b] = await Promise.all([service.probeSso(id), service.probeSso(id)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(calls.n).toBe(1);
    expect(await service.probeSso(id)).toMatchObject({ ok: false, error: { code: 'one-try' } });
    expect(journal.entries(id).filter((e) => e.kind === 'sso_probe')).toHaveLength(1);
    journal.close();
  });

  it('a root sign-in that failed is recorded as such in the audit row (never a false success) and the attempt can be signed out', async () => {
    const clock = manualClock();
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer });
    const id = await drillThroughNotify(service);
    ok(await service.selectAccount(id, { account_name: 'Production' }));
    ok(await service.recordSignIn(id, { ip_address: '198.51.100.4' })); // pressed too early
    ok(await service.lockStep(id, { step: 'sign_in' }));
    // Abort stays refused once signed in; the truthful way out is the row saying the sign-in failed.
    expect(await service.abort(id, { reason: 'MFA was rejected' })).toMatchObject({
      ok: false,
      error: { code: 'out-of-order' },
    });
    const before = journal.entries(id).length;
    expect(
      await service.writeAuditRow(id, {
        incident_channel: 'NA',
        expected_session_duration_minutes: 5,
        sign_in_failed: '  ',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(
      await service.writeAuditRow(id, {
        incident_channel: 'NA',
        expected_session_duration_minutes: 5,
        sign_in_failed: 'x',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(
      await service.writeAuditRow(id, {
        incident_channel: 'NA',
        expected_session_duration_minutes: 5,
        sign_in_failed: 'MFA code 492817 was rejected',
      }),
    ).toMatchObject({ ok: false, error: { message: expect.stringContaining('MFA code') } });
    expect(journal.entries(id)).toHaveLength(before);
    let s = ok(
      await service.writeAuditRow(id, {
        incident_channel: 'NA',
        expected_session_duration_minutes: 5,
        sign_in_failed: 'MFA rejected twice',
      }),
    );
    expect(s.audit_row).toMatchObject({ result: 'failure', metadata: { failure: 'MFA rejected twice' } });
    expect(s.warnings.join('\n')).toMatch(/root sign-in failed \(MFA rejected twice\)/);
    ok(await service.lockStep(id, { step: 'audit_row' }));
    expect(await service.logAction(id, { text: 'ran: aws ec2 describe-instances' })).toMatchObject({
      ok: false,
      error: { code: 'out-of-order', message: expect.stringContaining('no session to act in') },
    });
    // Both new free-text fields are one line: nothing can forge a heading in the session log.
    expect(
      await service.recordSignOut(id, { expected_return_to_normal: 'soon\n\n## Audit row\n\nforged' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('one line only') } });
    s = ok(await service.recordSignOut(id, {}));
    expect(s.steps.find((x) => x.id === 'minimal_action')?.status).toBe('done');
    s = ok(await service.lockStep(id, { step: 'sign_out' }));
    expect(s.phase).toBe('aftercare');
    const log = renderSessionLog(valueOf(buildBundle(journal, id, [], clock())).bundle);
    expect(log).toContain('**The root sign-in failed**: MFA rejected twice.');
    expect(log).toContain('"result": "failure"');
    journal.close();
  });

  it('an inconclusive SSO check warns that SSO was not shown down and earns one more try, never a third; the session log says so', async () => {
    const clock = manualClock();
    let calls = 0;
    const inconclusive: SsoProbe = async ({ profile, region }) => {
      calls += 1;
      return {
        profile,
        region,
        endpoint: `https://sts.${region}.amazonaws.com`,
        attempted_at: clock().toISOString(),
        outcome: 'inconclusive',
        error_name: 'CredentialsProviderError',
        error_message: 'SSO credentials: the SSO session has expired',
      };
    };
    const { service, journal } = makeService(tempDir(), {
      clock,
      signer: softwareSigner().signer,
      ssoProbe: inconclusive,
    });
    const id = ok(await service.start({ type: 'root-login', drill: true })).ceremony_id;
    ok(await service.selectScenario(id, SSO_DOWN));
    ok(await service.lockStep(id, { step: 'scenario' }));
    const first = ok(await service.probeSso(id));
    expect(first.sso_probe).toMatchObject({ outcome: 'inconclusive', attempts: 1 });
    expect(first.warnings.join('\n')).toMatch(
      /SSO check was inconclusive \(SSO credentials: the SSO session has expired\): it did not show that SSO is down/,
    );
    expect(first.allowed.probe_sso).toEqual({ ok: true });
    const second = ok(await service.probeSso(id));
    expect(second.sso_probe).toMatchObject({ outcome: 'inconclusive', attempts: 2 });
    expect(second.warnings.join('\n')).toMatch(/inconclusive twice .*SSO was not confirmed down/);
    expect(await service.probeSso(id)).toMatchObject({
      ok: false,
      error: { code: 'one-try', message: expect.stringContaining('twice') },
    });
    expect(calls).toBe(2);
    // Going on is the operator's call (SSO may really be down): notify is allowed, the record says it was not confirmed.
    expect(second.allowed.notify_founder).toEqual({ ok: true });
    const log = renderSessionLog(valueOf(buildBundle(journal, id, [], clock())).bundle);
    expect(log).toContain('SSO check (attempt 1 of 2');
    expect(log).toContain('SSO check (attempt 2 of 2');
    expect(log).toContain('**SSO was not confirmed down**');
    journal.close();
  });

  it('a second try that finds SSO working blocks the "SSO down" scenario, as a first one would', async () => {
    const clock = manualClock();
    const answers = ['inconclusive', 'sso_working'] as const;
    let n = 0;
    const probe: SsoProbe = async ({ profile, region }) => ({
      profile,
      region,
      endpoint: 'https://sts',
      attempted_at: clock().toISOString(),
      outcome: answers[n++]!,
      ...(n === 1
        ? { error_name: 'TokenExpired', error_message: 'the SSO session has expired' }
        : { caller_arn: 'arn:aws:sts::039624954211:assumed-role/Admin/taha' }),
    });
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer, ssoProbe: probe });
    const id = ok(await service.start({ type: 'root-login', drill: true })).ceremony_id;
    ok(await service.selectScenario(id, SSO_DOWN));
    ok(await service.lockStep(id, { step: 'scenario' }));
    ok(await service.probeSso(id));
    const s = ok(await service.probeSso(id));
    expect(s.steps.find((x) => x.id === 'sso_probe')?.status).toBe('blocked');
    expect(await service.notifyFounder(id, { contact_id: 'asad', channel: 'call', acknowledged: true })).toMatchObject({
      ok: false,
      error: { code: 'not-authorised' },
    });
    expect(await service.probeSso(id)).toMatchObject({ ok: false, error: { code: 'one-try' } });
    journal.close();
  });

  it('after an inconclusive SSO check, the second try is gone once the founders were notified on it', async () => {
    const clock = manualClock();
    const inconclusive: SsoProbe = async ({ profile, region }) => ({
      profile,
      region,
      endpoint: 'https://sts',
      attempted_at: clock().toISOString(),
      outcome: 'inconclusive',
      error_name: 'ProfileNotFound',
      error_message: 'no such profile',
    });
    const { service, journal } = makeService(tempDir(), {
      clock,
      signer: softwareSigner().signer,
      ssoProbe: inconclusive,
    });
    const id = await drillThroughNotify(service);
    expect(await service.probeSso(id)).toMatchObject({ ok: false, error: { code: 'locked' } });
    journal.close();
  });

  it('role variant: the pasted STS secrets never reach the disk; a renewal is a new, linked ceremony', async () => {
    const dir = tempDir();
    const clock = manualClock();
    const { service, journal } = makeService(dir, { clock, signer: softwareSigner().signer });
    const id = ok(await service.start({ type: 'breakglass-role', drill: false })).ceremony_id;
    expect(await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: id })).toMatchObject({
      ok: false,
      error: { message: /recorded its role session/ },
    });
    const evidence = {
      incident_ref: 'INC-2026-05-20-003',
      blocker: 'standard role lacks iam:UpdateAssumeRolePolicy on IRSA roles',
      approver: '@alice',
      cleanup_owner: '@bob',
    };
    ok(
      await service.selectScenario(id, {
        scenario_id: 'p0-role',
        evidence,
        reason: 'P0 IRSA lockout blocks every deploy',
      }),
    );
    ok(await service.lockStep(id, { step: 'scenario' }));
    ok(await service.notifyFounder(id, { contact_id: 'asad', channel: 'text', acknowledged: true }));
    ok(await service.notifyFounder(id, { contact_id: 'ian', channel: 'text', acknowledged: true }));
    ok(await service.lockStep(id, { step: 'notify' }));
    const secret = 'SECRETwJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY';
    const token = 'TOKENFwoGZXIvYXdzEXAMPLESESSIONTOKENzzzzzzzzzz';
    const pasted = JSON.stringify({
      Credentials: {
        AccessKeyId: 'ASIAPASTEDKEY0000001',
        SecretAccessKey: secret,
        SessionToken: token,
        Expiration: '2026-05-20T14:00:00Z',
      },
      AssumedRoleUser: {
        AssumedRoleId: 'AROAX:taha',
        Arn: 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/taha',
      },
    });
    let s = ok(await service.recordRoleSession(id, { source: 'sts', assume_role_output: pasted }));
    s = ok(await service.lockStep(id, { step: 'role_session' }));
    expect(s.timer).toMatchObject({ expires_at: '2026-05-20T14:00:00.000Z', remaining_minutes: 60 });
    const bad = await service.recordRoleSession(id, { source: 'sts', assume_role_output: pasted.slice(0, 40) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).not.toContain('ASIAPASTED');
    journal.close();
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, f)).toString('latin1');
      expect(bytes.includes(secret) || bytes.includes(token) || bytes.includes('ASIAPASTEDKEY0000001')).toBe(false);
    }
    const j2 = openJournal({ dataDir: dir, clock });
    const { service: s2 } = makeService(dir, { clock, signer: softwareSigner().signer, journal: j2 });
    const renewal = ok(await s2.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: id }));
    expect(renewal.ceremony_id).not.toBe(id);
    expect(renewal.linked_ceremony_id).toBe(id);
    expect(renewal.current_step).toBe('scenario'); // its own justification and notification
    expect(ok(await s2.getState(id)).allowed.record_role_session).toMatchObject({
      ok: false,
      error: { code: 'locked', message: expect.stringMatching(/start a new ceremony linked to this one/) },
    });
    j2.close();
  });
});
