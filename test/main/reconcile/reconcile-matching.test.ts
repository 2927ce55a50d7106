import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir';
import { action, fixture, PROD, roleSteps, rootLoginSteps, type Step } from './support/ceremony-journal';
import { edited, recordOf, reconcileSteps, writeTrailLog } from './support/trail-records';

const tempDir = useTempDir('breakglass-reconcile-match-');
const ct = (name: string) => fixture('cloudtrail', name);
/** The role journal with its terminate line replaced by `text` (same time). */
const roleDeclaring = (...texts: string[]): Step[] => {
  const steps = roleSteps().filter(
    (s) => !(s.kind === 'action_logged' && String(s.payload.text).includes('terminate')),
  );
  const at = steps.findIndex((s) => s.kind === 'minimal_action_done');
  return [...steps.slice(0, at), ...texts.map((t) => action('2026-05-20T13:05:55.000Z', t)), ...steps.slice(at)];
};

describe('one declaration matches at most the calls it names', () => {
  it('same API on a different resource is not a match: declared missing, the call unexpected', () => {
    const r = reconcileSteps(
      tempDir(),
      'role-other-instance',
      roleDeclaring('ran: aws ec2 terminate-instances --instance-ids i-0def000000000000d'),
      { cloudtrail: [ct('role-session.json')] },
    );
    expect(r.matched.map((m) => m.eventName)).toEqual(['DescribeInstances']);
    expect(r.declaredButMissing.map((d) => [d.iam_action, d.resources])).toEqual([
      ['ec2:TerminateInstances', ['i-0def000000000000d']],
    ]);
    expect(r.unexpected.map((e) => [e.eventName, e.resources])).toEqual([
      ['TerminateInstances', ['i-0abc1234def567890']],
      ['UpdateAssumeRolePolicy', ['orders-irsa']],
    ]);
  });

  it('a declared call AWS refused is "declared but refused by AWS", not matched', () => {
    // root-session-page2.json: StopInstances on i-0aaa555566667777b failed with Client.UnauthorizedOperation.
    const steps = [
      ...rootLoginSteps().slice(0, 6),
      action('2026-05-20T13:26:50.000Z', 'ran: aws ec2 stop-instances --instance-ids i-0aaa555566667777b'),
      ...rootLoginSteps().slice(12),
    ];
    const r = reconcileSteps(tempDir(), 'root-refused', steps, { cloudtrail: [ct('root-session-page2.json')] });
    expect(r.declaredButRefused.map((m) => [m.eventName, m.errorCode, m.declaredText])).toEqual([
      [
        'StopInstances',
        'Client.UnauthorizedOperation',
        'ran: aws ec2 stop-instances --instance-ids i-0aaa555566667777b',
      ],
    ]);
    expect(r.matched.filter((m) => m.eventName === 'StopInstances')).toEqual([]);
    expect(r.needsAttention).toContain('1 declared call(s) refused by AWS: the declared action did not happen');
  });

  it('one logged stop-instances does not absorb 200 further root calls on other instances', () => {
    const dir = tempDir();
    const base = recordOf('root-session-page1.json', 'TerminateInstances', 1); // the root one, i-0abc1234def567890
    const others = Array.from({ length: 200 }, (_, i) =>
      edited(base, {
        eventTime: `2026-05-20T13:${String(10 + (i % 20)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
        requestParameters: { instancesSet: { items: [{ instanceId: `i-0${String(i).padStart(16, '0')}` }] } },
      }),
    );
    const file = writeTrailLog(dir, 'many.json', [base, ...others]);
    const steps = rootLoginSteps().filter(
      (s) => s.kind !== 'action_logged' || String(s.payload.text).includes('terminate'),
    );
    const r = reconcileSteps(dir, 'root-many', steps, { cloudtrail: [file] });
    expect(r.matched.map((m) => m.eventId)).toEqual([base.eventID]);
    expect(r.unexpected).toHaveLength(200);
  });

  it("uses CloudTrail's event name where it differs from the CLI's, and holds --region", () => {
    // role-public-access-block.jsonl: Panther's recorded PutBucketPublicAccessBlock on austin-panther, us-west-2.
    const line = (region: string) =>
      `ran: aws s3api put-public-access-block --bucket austin-panther --region ${region} --public-access-block-configuration RestrictPublicBuckets=true`;
    const ok = reconcileSteps(tempDir(), 'role-pab', roleDeclaring(line('us-west-2')), {
      cloudtrail: [ct('role-public-access-block.jsonl')],
    });
    expect(ok.matched.map((m) => [m.eventName, m.awsRegion])).toEqual([['PutBucketPublicAccessBlock', 'us-west-2']]);
    expect(ok.declaredButMissing.map((d) => d.iam_action)).toEqual(['ec2:DescribeInstances']);
    const wrongRegion = reconcileSteps(tempDir(), 'role-pab-region', roleDeclaring(line('us-east-1')), {
      cloudtrail: [ct('role-public-access-block.jsonl')],
    });
    expect(wrongRegion.matched).toEqual([]);
    expect(wrongRegion.unexpected.map((e) => e.eventName)).toEqual(['PutBucketPublicAccessBlock']);
  });

  it('compares event names case-insensitively (RDS records FailoverDBCluster, the CLI says failover-db-cluster)', () => {
    const dir = tempDir();
    const base = recordOf('role-session.json', 'TerminateInstances', 1); // alice's call; fields changed below
    const failover = edited(base, {
      eventSource: 'rds.amazonaws.com',
      eventName: 'FailoverDBCluster',
      requestParameters: { dBClusterIdentifier: 'orders-aurora' },
    });
    const r = reconcileSteps(
      dir,
      'role-rds',
      roleDeclaring('ran: aws rds failover-db-cluster --db-cluster-identifier orders-aurora'),
      { cloudtrail: [writeTrailLog(dir, 'rds.json', [failover])] },
    );
    expect(r.matched.map((m) => m.eventName)).toEqual(['FailoverDBCluster']);
    expect(r.unexpected).toEqual([]);
  });

  it('a declared data event (aws s3 cp) absent from lookup-events is "cannot be checked here", not missing', () => {
    const r = reconcileSteps(
      tempDir(),
      'role-s3cp',
      roleDeclaring(
        'ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890',
        'ran: aws s3 cp ./INC.json s3://bookstore-platform-audit/incidents/INC.json',
      ),
      { cloudtrail: [ct('role-session.json')] },
    );
    expect(r.declaredButMissing).toEqual([]);
    expect(r.declaredNotVerifiable.map((d) => [d.iam_action, d.resources])).toEqual([
      ['s3:PutObject', ['bookstore-platform-audit']],
    ]);
    expect(r.notes.join('\n')).toMatch(/cannot be checked from lookup-events, which holds management events only/);
  });

  it('matches the declared root AttachRolePolicy only with the role and policy it names', () => {
    const r = reconcileSteps(tempDir(), 'root-attach', rootLoginSteps(), {
      cloudtrail: [ct('root-session-page1.json'), ct('root-session-page2.json')],
    });
    const m = r.matched.find((x) => x.eventName === 'AttachRolePolicy');
    expect(m?.declaredText).toContain(`--policy-arn arn:aws:iam::${PROD}:policy/emergency-irsa`);
  });
});
