import { describe, expect, it } from 'vitest';
import { readReconcileInputs } from '../../../src-main/reconcile/read-inputs';
import { reconcile } from '../../../src-main/reconcile/reconcile';
import type { JsonObject } from '../../../src-shared/canonical-json';
import { useTempDir } from '../../support/temp-dir';
import { fixture, PROD, roleSteps, rootLoginSteps, writeBundle, verifiedFixture } from './support/ceremony-journal';

const tempDir = useTempDir('breakglass-reconcile-');
// EventIds of the fixtures (uuid5 of "breakglass-fixture-<n>", see the fixture files).
const find = (name: string, r: ReturnType<typeof reconcile>) =>
  [...r.session, ...r.matched, ...r.unexpected, ...r.readOnly]
    .filter((e) => e.eventName === name)
    .map((e) => e.eventId);

describe('reconcile, root login', () => {
  function run(extra: { terraformPlan?: string; argocd?: string } = {}) {
    const bundle = writeBundle(tempDir(), 'root-prod-0520', rootLoginSteps());
    return reconcile(
      readReconcileInputs({
        bundle: verifiedFixture(bundle),
        cloudtrail: [
          fixture('cloudtrail', 'root-session-page1.json'),
          fixture('cloudtrail', 'root-session-page2.json'),
        ],
        ...extra,
      }),
    );
  }

  it('a sign-in recorded as failed, against CloudTrail showing a successful one and calls: both called out', () => {
    // A failed sign-in has nothing to act on (the runbook, and the verifier): no running log, no minimal action.
    const failedRow = rootLoginSteps()
      .filter((x) => x.kind !== 'action_logged' && x.kind !== 'minimal_action_done')
      .map((x) =>
        x.kind === 'audit_row_written'
          ? {
              ...x,
              payload: {
                row: {
                  ...(x.payload.row as JsonObject),
                  result: 'failure',
                  metadata: { ...((x.payload.row as JsonObject).metadata as JsonObject), failure: 'MFA rejected' },
                },
              },
            }
          : x,
      );
    const bundle = writeBundle(tempDir(), 'root-prod-0520', failedRow);
    const r = reconcile(
      readReconcileInputs({
        bundle: verifiedFixture(bundle),
        cloudtrail: [
          fixture('cloudtrail', 'root-session-page1.json'),
          fixture('cloudtrail', 'root-session-page2.json'),
        ],
      }),
    );
    expect(
      r.needsAttention.find((w) =>
        w.startsWith(
          'sign-in-result-differs: the audit row says the root sign-in failed, but CloudTrail shows a successful root ConsoleLogin',
        ),
      ),
    ).toBeDefined();
    expect(r.checks.find((c) => c.code === 'calls-after-failed-sign-in')?.eventIds.length).toBeGreaterThan(0);
    // The same CloudTrail against the row that says success: no such warning.
    expect(
      run().needsAttention.some((w) => w.includes('recorded as failed') || w.includes('says the root sign-in failed')),
    ).toBe(false);
  });

  it('takes the principal and window from the journal', () => {
    const r = run();
    expect(r.principal).toBe(`arn:aws:iam::${PROD}:root`);
    expect(r.window).toMatchObject({ start: '2026-05-20T12:57:00.000Z', end: '2026-05-20T13:45:00.000Z' });
  });

  it('ignores other principals, events outside the window and duplicates across files', () => {
    const r = run();
    // sam@ via SSO and the staging account's root; the root DescribeInstances at 14:30; the repeated CreateAccessKey.
    expect(r.ignored).toEqual({ otherPrincipals: 2, outsideWindow: 1, duplicates: 1 });
    const all = [...r.session, ...r.matched, ...r.unexpected, ...r.readOnly];
    expect(all.every((e) => e.principalArn === `arn:aws:iam::${PROD}:root`)).toBe(true);
    expect(all.some((e) => e.eventTime.startsWith('2026-05-20T14:30'))).toBe(false);
  });

  it('matches journal actions to CloudTrail by service and operation', () => {
    const r = run();
    expect(r.matched.map((m) => `${m.eventSource}/${m.eventName}`)).toEqual([
      'ec2.amazonaws.com/DescribeInstances',
      'ec2.amazonaws.com/TerminateInstances',
      'iam.amazonaws.com/AttachRolePolicy',
      'lambda.amazonaws.com/UpdateFunctionCode20150331v2',
    ]);
    const terminate = r.matched.find((m) => m.eventName === 'TerminateInstances');
    expect(terminate?.declaredText).toContain('terminate-instances --instance-ids i-0abc1234def567890');
    expect(terminate?.resources).toEqual(['i-0abc1234def567890']);
    expect(r.session.map((s) => s.eventName)).toEqual(['ConsoleLogin']);
  });

  it('flags undeclared mutating calls, failed ones included, with their eventId', () => {
    const r = run();
    expect(r.unexpected.map((e) => e.eventName)).toEqual(['CreateUser', 'CreateAccessKey', 'StopInstances']);
    expect(r.unexpected.find((e) => e.eventName === 'StopInstances')?.errorCode).toBe('Client.UnauthorizedOperation');
    expect(r.unexpected.every((e) => /^[0-9a-f-]{36}$/.test(e.eventId))).toBe(true);
  });

  it('lists read-only calls as reconnaissance, declared or not', () => {
    const r = run();
    expect(r.readOnly.map((e) => [e.eventName, e.declared])).toEqual([
      ['DescribeInstances', true],
      ['ListBuckets', false],
    ]);
  });

  it('lists declared actions that CloudTrail does not show', () => {
    const r = run();
    expect(r.declaredButMissing.map((d) => d.iam_action)).toEqual(['iam:CreatePolicy']);
    expect(r.declaredButMissing[0]?.text).toContain('emergency-irsa');
  });

  it('extracts users, access keys and role policy attachments', () => {
    const r = run();
    expect(r.iamUsersCreated).toEqual([
      { userName: 'tmp-breakglass', eventId: find('CreateUser', r)[0], eventTime: '2026-05-20T13:10:00.000Z' },
    ]);
    expect(r.accessKeysCreated).toEqual([
      {
        userName: 'tmp-breakglass',
        accessKeyId: 'AKIAQ3EXAMPLETMPKEY',
        eventId: find('CreateAccessKey', r)[0],
        eventTime: '2026-05-20T13:10:30.000Z',
        rootKey: false,
      },
    ]);
    expect(r.rolesWithAttachedPolicies).toEqual([
      {
        roleName: 'orders-irsa',
        policyArn: `arn:aws:iam::${PROD}:policy/emergency-irsa`,
        eventId: find('AttachRolePolicy', r)[0],
        eventTime: '2026-05-20T13:20:40.000Z',
      },
    ]);
  });

  it('adds Terraform in-state changes and Argo CD drift from the optional inputs', () => {
    const r = run({
      terraformPlan: fixture('terraform', 'post-breakglass-plan.json'),
      argocd: fixture('argocd', 'app-list.json'),
    });
    // A plan's deletes and replacements are managed resources (in state): not orphans to import.
    expect(r.terraformInState.map((o) => [o.address, o.actions.join('+'), o.id])).toEqual([
      ['aws_eip.emergency_nat_gateway', 'delete', 'eipalloc-0abc1234'],
      ['aws_iam_role_policy_attachment.orders_irsa', 'delete+create', 'orders-irsa-20260520131500'],
    ]);
    expect(r.terraformOrphans).toEqual([]);
    expect(r.terraformDrift).toEqual([{ address: 'aws_security_group.orders', actions: ['update'] }]);
    expect(r.argocdOutOfSync.map((a) => [a.name, a.syncStatus, a.healthStatus])).toEqual([
      ['catalog', 'OutOfSync', 'Healthy'],
      ['payments', 'Unknown', 'Missing'],
    ]);
    expect(r.inputs.terraformPlan?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(
      r.needsAttention.some((a) => a.includes('the Terraform plan would destroy or replace: in state, not orphans')),
    ).toBe(true);
  });

  it('checks the root sign-in against the journal', () => {
    const steps = rootLoginSteps().map((s) =>
      s.kind === 'signed_in' ? { ...s, payload: { ...s.payload, ip_address: '192.0.2.99' } } : s,
    );
    const r = reconcile(
      readReconcileInputs({
        bundle: verifiedFixture(writeBundle(tempDir(), 'root-ip', steps)),
        cloudtrail: [fixture('cloudtrail', 'root-session-page1.json')],
      }),
    );
    const check = r.checks.find((c) => c.code === 'sign-in-ip-differs');
    expect(check?.message).toContain('203.0.113.7');
    expect(check?.message).toContain('192.0.2.99');
    expect(check?.eventIds).toEqual(find('ConsoleLogin', r));
  });
});

describe('reconcile, breakglass-role', () => {
  it('keeps the assumed-role session inside session start to expiry', () => {
    const bundle = writeBundle(tempDir(), 'role-prod-0520', roleSteps());
    const r = reconcile(
      readReconcileInputs({
        bundle: verifiedFixture(bundle),
        cloudtrail: [fixture('cloudtrail', 'role-session.json')],
      }),
    );
    expect(r.principal).toBe(`arn:aws:sts::${PROD}:assumed-role/breakglass-emergency/*`);
    expect(r.window).toMatchObject({ start: '2026-05-20T12:55:05.000Z', end: '2026-05-20T14:05:05.000Z' });
    // Vault's AssumeRole is another principal; bob's session at 14:20 is after expiry.
    expect(r.ignored).toEqual({ otherPrincipals: 1, outsideWindow: 1, duplicates: 0 });
    expect(r.matched.map((m) => m.eventName)).toEqual(['DescribeInstances', 'TerminateInstances']);
    expect(r.unexpected.map((e) => e.eventName)).toEqual(['UpdateAssumeRolePolicy']);
    expect(r.readOnly.map((e) => [e.eventName, e.declared])).toEqual([
      ['DescribeInstances', true],
      ['GetSecretValue', false],
    ]);
    expect(r.declaredButMissing).toEqual([]);
  });

  it('pairs one event per declaration: a command logged twice but run once is missing once', () => {
    const steps = roleSteps();
    const terminate = steps.find((s) => s.kind === 'action_logged' && String(s.payload.text).includes('terminate'));
    if (!terminate) throw new Error('fixture changed');
    const twice = [
      ...steps.slice(0, 5),
      {
        ...terminate,
        at: '2026-05-20T13:10:00.000Z',
        payload: { ...terminate.payload, logged_at: '2026-05-20T13:10:00.000Z' },
      },
      ...steps.slice(5),
    ];
    const r = reconcile(
      readReconcileInputs({
        bundle: verifiedFixture(writeBundle(tempDir(), 'role-twice', twice)),
        cloudtrail: [fixture('cloudtrail', 'role-session.json')],
      }),
    );
    expect(r.declaredButMissing.map((d) => d.logged_at)).toEqual(['2026-05-20T13:10:00.000Z']);
  });
});
