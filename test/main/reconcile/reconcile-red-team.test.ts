import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run-cli';
import { useTempDir } from '../../support/temp-dir';
import { action, fixture, rootLoginSteps, trustFileOf, writeBundle, type Step } from './support/ceremony-journal';
import { edited, recordOf, writeTrailLog, type TrailRecord } from './support/trail-records';

/*
 * Red team of the verdict: every way found to make `reconcile` say "Nothing needs attention"
 * (exit 0) when the session is not clean, each with the verdict it must give instead. The
 * baseline proves the clean verdict is reachable, so each case fails if its rule is removed.
 * What the verdict cannot see is asserted too (the last block): those are documented limits.
 */
const tempDir = useTempDir('breakglass-red-team-');

async function verdict(
  steps: readonly Step[],
  records: readonly TrailRecord[],
  extra: string[] = [],
  prepare?: (dir: string, bundle: string) => void,
) {
  const dir = tempDir();
  const bundle = writeBundle(dir, 'root-red', steps);
  prepare?.(dir, bundle);
  const trail = writeTrailLog(dir, 'trail.json', records);
  const out: string[] = [];
  const err: string[] = [];
  // The cleanup owner pins the operator's keys (the trusted-keys file from enrolment), as the runbook's reviewer would.
  const pins = extra.includes('--no-pins') ? [] : ['--trusted-keys', trustFileOf(dir)];
  const code = await runCli(
    [
      'reconcile',
      '--bundle',
      bundle,
      '--cloudtrail',
      trail,
      '--terraform-plan',
      fixture('terraform', 'clean-plan.json'),
      '--argocd',
      fixture('argocd', 'all-synced.json'),
      ...pins,
      ...extra.filter((a) => a !== '--no-pins'),
    ],
    { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, now: () => new Date('2026-05-21T10:00:00Z') },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const login = () => recordOf('root-session-page1.json', 'ConsoleLogin');
const terminate = () => recordOf('root-session-page1.json', 'TerminateInstances', 1);
const TERMINATE = '13:08 ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890';
/** The root journal declaring only `lines` (default: the terminate). */
const journal = (...lines: string[]): Step[] => {
  const base = rootLoginSteps().filter((s) => s.kind !== 'action_logged');
  const at = base.findIndex((s) => s.kind === 'minimal_action_done');
  return [
    ...base.slice(0, at),
    ...(lines.length ? lines : [TERMINATE]).map((l, i) => action(`2026-05-20T13:08:0${5 + i}.000Z`, l)),
    ...base.slice(at),
  ];
};
const instance = (id: string) => ({ requestParameters: { instancesSet: { items: [{ instanceId: id }] } } });

describe('red team: the reconcile verdict', () => {
  it('baseline: a declared terminate, seen once, nothing left behind: exit 0', async () => {
    const r = await verdict(journal(), [login(), terminate()]);
    expect(r.out).toContain('Nothing needs attention.');
    expect(r.code).toBe(0);
  });

  it("the same clean session without pinned keys is not clean: the bundle's origin is not verified", async () => {
    const r = await verdict(journal(), [login(), terminate()], ['--no-pins']);
    expect(r.out).toMatch(/evidence verdict is ORIGIN NOT VERIFIED/);
    expect(r.code).toBe(1);
  });

  const attacks: Array<[string, () => [Step[], TrailRecord[]], RegExp]> = [
    [
      'the declared call was refused by AWS',
      () => [journal(), [login(), edited(terminate(), { errorCode: 'Client.UnauthorizedOperation' })]],
      /declared call\(s\) refused by AWS/,
    ],
    [
      'a different instance was terminated than the one declared',
      () => [journal(), [login(), edited(terminate(), instance('i-0fff000011112222a'))]],
      /declared action\(s\) with no CloudTrail event/,
    ],
    [
      'the declared call was made twice, the second time on another instance',
      () => [journal(), [login(), terminate(), edited(terminate(), instance('i-0eee000011112222b'))]],
      /1 mutating call\(s\) not declared/,
    ],
    [
      'the declared call was run twice on the same instance (one line covers one call)',
      () => [journal(), [login(), terminate(), edited(terminate(), { eventTime: '2026-05-20T13:09:40Z' })]],
      /1 mutating call\(s\) not declared/,
    ],
    [
      'an IAM user created and declared (declared is not cleaned up)',
      () => [
        journal(TERMINATE, '13:09 ran: aws iam create-user --user-name tmp-breakglass'),
        [login(), terminate(), recordOf('root-session-page1.json', 'CreateUser', 1)],
      ],
      /credential\(s\) created or changed/,
    ],
    [
      'a secret read and declared (still to rotate)',
      () => [
        journal(TERMINATE, '13:09 ran: aws secretsmanager get-secret-value --secret-id bookstore/ci/stripe-temp'),
        [
          login(),
          terminate(),
          edited(recordOf('role-session.json', 'GetSecretValue'), { userIdentity: login().userIdentity }),
        ],
      ],
      /secret\(s\) read in the session: rotate/,
    ],
    [
      'a root access key created 36 minutes before the sign-in',
      () => [
        journal(),
        [
          login(),
          terminate(),
          edited(recordOf('root-session-page1.json', 'CreateAccessKey'), { eventTime: '2026-05-20T12:26:00Z' }),
        ],
      ],
      /activity-outside-window/,
    ],
    [
      'the change made from an sts:AssumeRoot task session',
      () => [
        journal(),
        [
          login(),
          terminate(),
          edited(terminate(), {
            ...instance('i-0ddd'),
            userIdentity: { ...(login().userIdentity as object), sessionContext: { assumedRoot: 'true' } },
          }),
        ],
      ],
      /root-task-session/,
    ],
    [
      'a root call signed with a long-term AKIA key',
      () => [
        journal(),
        [
          login(),
          edited(terminate(), {
            eventID: terminate().eventID,
            userIdentity: { ...(terminate().userIdentity as object), accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
          }),
        ],
      ],
      /root-long-term-access-key/,
    ],
    [
      'root signed in without MFA',
      () => [journal(), [edited(login(), { additionalEventData: { MFAUsed: 'No' } }), terminate()]],
      /root-sign-in-without-mfa/,
    ],
    [
      'a resource created outside Terraform by the session',
      () => [
        journal(),
        [
          login(),
          terminate(),
          edited(terminate(), {
            eventName: 'AllocateAddress',
            requestParameters: { domain: 'vpc' },
            responseElements: { allocationId: 'eipalloc-0new' },
          }),
        ],
      ],
      /created outside Terraform/,
    ],
    [
      'no sign-in at all in CloudTrail (wrong account or time range given)',
      () => [journal(), [terminate()]],
      /no-root-sign-in/,
    ],
  ];
  for (const [what, make, needle] of attacks) {
    it(`${what}: exit 1`, async () => {
      const [steps, records] = make();
      const r = await verdict(steps, records, ['--json']);
      expect(r.code).toBe(1);
      expect((JSON.parse(r.out) as { needsAttention: string[] }).needsAttention.join('\n')).toMatch(needle);
    });
  }

  it('only the first lookup-events page given: exit 1, fetch the rest', async () => {
    const dir = tempDir();
    const bundle = writeBundle(dir, 'root-red-page', journal());
    const r = await runCli(
      ['reconcile', '--bundle', bundle, '--cloudtrail', fixture('cloudtrail', 'with-next-token.json'), '--json'],
      { out: () => undefined, err: () => undefined, env: {}, now: () => new Date() },
    );
    expect(r).toBe(1);
  });

  it('an errored Terraform plan: exit 1', async () => {
    // The baseline's inputs with the clean plan marked errored: only the plan changes the verdict.
    const dir = tempDir();
    const p = JSON.parse(readFileSync(fixture('terraform', 'clean-plan.json'), 'utf8')) as Record<string, unknown>;
    const errored = path.join(dir, 'errored.json');
    writeFileSync(errored, JSON.stringify({ ...p, errored: true }));
    const bundle = writeBundle(dir, 'root-red-plan', journal());
    const code = await runCli(
      [
        'reconcile',
        '--bundle',
        bundle,
        '--cloudtrail',
        writeTrailLog(dir, 't.json', [login(), terminate()]),
        '--terraform-plan',
        errored,
        '--argocd',
        fixture('argocd', 'all-synced.json'),
      ],
      { out: () => undefined, err: () => undefined, env: {}, now: () => new Date() },
    );
    expect(code).toBe(1);
  });

  it('an edited journal in the bundle: exit 2, nothing reconciled', async () => {
    const r = await verdict(journal(), [login(), terminate()], [], (_dir, bundle) => {
      writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('i-0abc1234def567890', 'i-0fff000011112222a'));
    });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/fails verification|not a Breakglass bundle|hash/);
  });

  it('terminal escape sequences in CloudTrail fields never reach the terminal', async () => {
    const r = await verdict(journal(), [
      login(),
      terminate(),
      edited(terminate(), { eventName: 'Terminate\u001b]0;owned\u0007Instances' }),
    ]);
    expect(r.code).toBe(1);
    // eslint-disable-next-line no-control-regex
    expect(r.out).not.toMatch(/[\u001b\u0007]/);
    expect(r.out).toContain('Terminate\\u001b]0;owned\\u0007Instances');
  });

  describe('documented limits: what "Nothing needs attention" cannot prove', () => {
    it('a call missing from the files given is invisible without digests (the report says integrity was not checked)', async () => {
      // The real session also created a user; the operator hands over a file without it.
      const r = await verdict(journal(), [login(), terminate()]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Integrity: not checked (no --cloudtrail-digest)');
    });

    it('a declared data event (aws s3 cp) cannot be confirmed from lookup-events or a trail without data events', async () => {
      const r = await verdict(
        journal(TERMINATE, '13:09 ran: aws s3 cp ./x.json s3://bookstore-platform-audit/x.json'),
        [login(), terminate()],
      );
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Declared data events these files cannot show \(1\)/);
    });
  });
});
