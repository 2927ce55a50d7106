import { describe, expect, it } from 'vitest';
import { reconciliationAttachment, reconciliationSha256 } from '../../../src-main/reconcile/attachment';
import { postmortemFileName, renderPostmortem } from '../../../src-main/reconcile/postmortem';
import { readReconcileInputs } from '../../../src-main/reconcile/read-inputs';
import { reconcile } from '../../../src-main/reconcile/reconcile';
import { buildTimeline } from '../../../src-main/reconcile/timeline';
import { useTempDir } from '../../support/temp-dir';
import {
  fixture,
  roleSteps,
  rootLoginSteps,
  writeBundle,
  type Step,
  verifiedFixture,
} from './support/ceremony-journal';

const tempDir = useTempDir('breakglass-postmortem-');
const NOW = new Date('2026-05-21T09:00:00.000Z');

function rootCase(steps: Step[] = rootLoginSteps()) {
  const file = writeBundle(tempDir(), 'root-pm', steps);
  const r = reconcile(
    readReconcileInputs({
      bundle: verifiedFixture(file),
      cloudtrail: [fixture('cloudtrail', 'root-session-page1.json'), fixture('cloudtrail', 'root-session-page2.json')],
      terraformPlan: fixture('terraform', 'post-breakglass-plan.json'),
    }),
  );
  return { bundle: verifiedFixture(file).report.bundle, r };
}

const section = (doc: string, title: string) => {
  const start = doc.indexOf(`## ${title}`);
  expect(start, title).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, next < 0 ? undefined : next);
};

describe('renderPostmortem', () => {
  it('has the four mandatory breakglass sections filled from journal and CloudTrail', () => {
    const { bundle, r } = rootCase();
    const doc = renderPostmortem(bundle, r, { now: NOW });
    expect(section(doc, 'Why was break-glass needed?')).toContain(
      'SEV-0: orders pods crash-loop on an IRSA trust policy',
    );
    expect(section(doc, 'Why was break-glass needed?')).toContain('sso_unavailable');
    const blast = section(doc, 'What was the blast radius? (from CloudTrail)');
    expect(blast).toContain('ec2:TerminateInstances');
    expect(blast).toMatch(/iam:CreateUser .*\*\*UNEXPECTED\*\*/);
    expect(blast).toContain('IAM user tmp-breakglass');
    expect(blast).toContain('`aws iam delete-user --user-name tmp-breakglass`');
    expect(blast).toContain(
      '`aws iam delete-access-key --user-name tmp-breakglass --access-key-id AKIAQ3EXAMPLETMPKEY`',
    );
    expect(blast).toContain(
      '`aws iam detach-role-policy --role-name orders-irsa --policy-arn arn:aws:iam::039624954211:policy/emergency-irsa`',
    );
    expect(blast).toContain('aws_eip.emergency_nat_gateway');
    expect(blast).toContain('Argo CD: applications not Synced\n\n- **not checked**');
    const only = section(doc, 'Did the session do only what it needed?');
    expect(only).toContain('Terminated the wedged orders worker');
    expect(only).toMatch(/3 mutating call\(s\) are not in the journal/);
    expect(only).toMatch(/s3:ListBuckets at .* \(not declared\)/);
    expect(only).toContain('iam:CreatePolicy');
    expect(only).toContain('Do NOT use root credentials');
    expect(section(doc, 'Cleanup-owner sign-off')).toContain('**Not signed off.**');
    expect(doc).toContain(reconciliationSha256(r));
  });

  it('says plainly when there is no reconciliation', () => {
    const { bundle } = rootCase();
    const doc = renderPostmortem(bundle, null, { now: NOW });
    expect(section(doc, 'What was the blast radius? (from CloudTrail)')).toContain('blast radius is not established');
    expect(section(doc, 'Did the session do only what it needed?')).toContain('Not checked against CloudTrail');
  });

  it('shows the cleanup checklist with evidence and the owner sign-off of a role session', () => {
    const file = writeBundle(tempDir(), 'role-pm', [
      ...roleSteps(),
      ...[
        'cleanup.verify-expiry',
        'cleanup.inventory-cloudtrail',
        'cleanup.inventory-terraform',
        'cleanup.inventory-argocd',
        'cleanup.inventory-secrets',
        'cleanup.rotate',
        'cleanup.policies-detached',
      ].map((item_id, i) => ({
        at: `2026-05-20T14:${String(10 + i).padStart(2, '0')}:00.000Z`,
        kind: 'aftercare_evidence',
        payload: {
          item_id,
          text: `evidence for ${item_id}`,
          evidence_at: `2026-05-20T14:${String(10 + i).padStart(2, '0')}:00.000Z`,
          file_sha256: 'b'.repeat(64),
        },
      })),
      {
        at: '2026-05-20T18:00:00.000Z',
        kind: 'aftercare_signoff',
        payload: { by: 'bob@example.com', text: 'Steps 2-5 complete; tmp user deleted' },
      },
    ]);
    const bundle = verifiedFixture(file).report.bundle;
    const r = reconcile(
      readReconcileInputs({ bundle: verifiedFixture(file), cloudtrail: [fixture('cloudtrail', 'role-session.json')] }),
    );
    const doc = renderPostmortem(bundle, r, { now: NOW });
    expect(doc).toContain('| Cleanup owner | bob@example.com |');
    expect(section(doc, 'Cleanup')).toMatch(
      /\| Verify the session expired \| .* \| done \| evidence for cleanup.verify-expiry \\\[sha256 bbbbbbbbbbbb\\\] \|/,
    );
    expect(section(doc, 'Cleanup')).toMatch(/Write the postmortem .* \| due \|/);
    expect(section(doc, 'Cleanup')).toMatch(/Capture the session log .* \| overdue \|/);
    expect(section(doc, 'Cleanup-owner sign-off')).toContain(
      'Signed off by bob@example.com at 2026-05-20 18:00:00Z: Steps 2-5 complete; tmp user deleted',
    );
    expect(section(doc, 'Did the session do only what it needed?')).toContain('secretsmanager:GetSecretValue');
  });

  it('keeps operator text from breaking the markdown', () => {
    const steps = rootLoginSteps().map((s) =>
      s.kind === 'minimal_action_done' ? { ...s, payload: { summary: 'fixed | it\n## Injected heading <script>' } } : s,
    );
    const { bundle, r } = rootCase(steps);
    const doc = renderPostmortem(bundle, r, { now: NOW });
    expect(doc).not.toContain('\n## Injected');
    expect(doc).not.toContain('<script>');
    expect(doc).toContain('fixed \\| it ## Injected heading &lt;script&gt;');
  });

  it('is named next to the session log', () => {
    const { bundle } = rootCase();
    expect(postmortemFileName(bundle)).toBe('2026-05-20-break-glass-production-sso-down-postmortem.md');
  });
});

describe('buildTimeline', () => {
  it('puts journal entries and CloudTrail events on one axis and highlights what needs a look', () => {
    const { bundle, r } = rootCase();
    const items = buildTimeline(bundle, r);
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort());
    expect(items.filter((i) => i.mark === 'unexpected').map((i) => i.label)).toEqual([
      'iam:CreateUser tmp-breakglass',
      'iam:CreateAccessKey AKIAQ3EXAMPLETMPKEY, tmp-breakglass',
      'ec2:StopInstances i-0aaa555566667777b (failed: Client.UnauthorizedOperation)',
    ]);
    expect(items.filter((i) => i.mark === 'read-only').map((i) => i.label)).toEqual([
      'ec2:DescribeInstances',
      's3:ListBuckets',
    ]);
    expect(items.find((i) => i.mark === 'missing')?.label).toContain('create-policy');
    const login = items.findIndex((i) => i.label === 'signin:ConsoleLogin');
    const signedIn = items.findIndex((i) => i.label.startsWith('signed in'));
    expect(signedIn).toBeLessThan(login);
  });
});

describe('reconciliationAttachment', () => {
  it('pins the report by hash and carries the counts the review reads', () => {
    const { r } = rootCase();
    const a = reconciliationAttachment(r);
    expect(a.report_sha256).toBe(reconciliationSha256(r));
    expect(a.summary).toMatchObject({
      matched: 4,
      unexpected: 3,
      read_only: 2,
      declared_but_missing: 1,
      iam_users_created: 1,
      access_keys_created: 1,
      roles_with_attached_policies: 1,
      terraform_orphans: 0,
      terraform_in_state_changes: 2,
      declared_but_refused: 0,
      cleanup_items: 3,
      sign_in_seen: true,
    });
    expect(a.needs_attention).toBe(true);
  });
});
