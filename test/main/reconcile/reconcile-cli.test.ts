import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run-cli';
import { bundleText } from '../../../src-main/evidence/bundle-text';
import { openJournal } from '../../../src-main/journal/journal';
import { canonicalize } from '../../../src-shared/canonical-json';
import type { Bundle } from '../../../src-shared/journal/types';
import { useTempDir } from '../../support/temp-dir';
import { fixture, rootLoginSteps, trustFileOf, writeBundle } from './support/ceremony-journal';

const tempDir = useTempDir('breakglass-reconcile-cli-');

/** Runs the CLI; a reconcile of a fixture bundle pins the fixture's own key (its trusted-keys file beside it). */
async function cli(...argv: string[]) {
  const bundleAt = argv.indexOf('--bundle');
  if (
    argv[0] === 'reconcile' &&
    bundleAt > 0 &&
    existsSync(trustFileOf(path.dirname(argv[bundleAt + 1] ?? '.'))) &&
    !argv.includes('--trusted-keys')
  ) {
    argv = [...argv, '--trusted-keys', trustFileOf(path.dirname(argv[bundleAt + 1]!))];
  }
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    now: () => new Date('2026-05-21T10:00:00Z'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ct = (name: string) => fixture('cloudtrail', name);

describe('breakglass reconcile', () => {
  it('prints one JSON object with every array, each event carrying its eventId, and exits 1 when something needs attention', async () => {
    const bundle = writeBundle(tempDir(), 'root-cli', rootLoginSteps());
    const r = await cli(
      'reconcile',
      '--bundle',
      bundle,
      '--cloudtrail',
      ct('root-session-page1.json'),
      '--cloudtrail',
      ct('root-session-page2.json'),
      '--terraform-plan',
      fixture('terraform', 'post-breakglass-plan.json'),
      '--argocd',
      fixture('argocd', 'app-list.json'),
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out) as Record<string, unknown[]>;
    for (const key of [
      'matched',
      'unexpected',
      'readOnly',
      'declaredButMissing',
      'cleanup',
      'iamUsersCreated',
      'accessKeysCreated',
      'rolesWithAttachedPolicies',
      'terraformInState',
      'argocdOutOfSync',
    ]) {
      expect(Array.isArray(json[key]), key).toBe(true);
      expect(json[key]?.length, key).toBeGreaterThan(0);
    }
    for (const key of [
      'matched',
      'unexpected',
      'readOnly',
      'iamUsersCreated',
      'accessKeysCreated',
      'rolesWithAttachedPolicies',
    ]) {
      for (const item of json[key] as Array<{ eventId?: string }>) expect(item.eventId, key).toMatch(/^[0-9a-f-]{36}$/);
    }
    for (const item of json.cleanup as Array<{ eventIds: string[]; command: string }>) {
      expect(item.eventIds.length).toBeGreaterThan(0);
      expect(item.command).toMatch(/^aws iam /);
    }
  });

  it('prints a readable report without --json', async () => {
    const bundle = writeBundle(tempDir(), 'root-text', rootLoginSteps());
    const r = await cli(
      'reconcile',
      '--bundle',
      bundle,
      '--cloudtrail',
      ct('root-session-page1.json'),
      '--cloudtrail',
      ct('root-session-page2.json'),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/UNEXPECTED: mutating calls not declared in the journal \(3\)/);
    expect(r.out).toContain('iam:CreateUser  tmp-breakglass');
    expect(r.out).toContain('Terraform: no plan given');
    expect(r.out).toContain('Needs attention:');
  });

  it('exits 0 when everything was declared and nothing was left behind', async () => {
    const dir = tempDir();
    // Only the TerminateInstances event of the fixture, which the journal declares.
    const page = JSON.parse(readFileSync(ct('root-session-page1.json'), 'utf8')) as {
      Events: Array<{ EventName: string; Username: string }>;
    };
    const clean = path.join(dir, 'clean.json');
    writeFileSync(
      clean,
      JSON.stringify({
        Events: page.Events.filter(
          (e) => e.EventName === 'ConsoleLogin' || (e.EventName === 'TerminateInstances' && e.Username === 'root'),
        ),
      }),
    );
    const steps = rootLoginSteps().filter(
      (s) =>
        s.kind !== 'action_logged' ||
        String(s.payload.text).includes('terminate') ||
        !String(s.payload.text).includes('aws '),
    );
    const bundle = writeBundle(dir, 'root-clean', steps);
    const r = await cli(
      'reconcile',
      '--bundle',
      bundle,
      '--cloudtrail',
      clean,
      '--terraform-plan',
      fixture('terraform', 'clean-plan.json'),
      '--argocd',
      fixture('argocd', 'all-synced.json'),
    );
    expect(r.out).toContain('Nothing needs attention.');
    expect(r.code).toBe(0);
  });

  describe('rejects unreadable input with exit 2, naming the file and the problem', () => {
    const cases: Array<[string, () => string[], RegExp]> = [
      [
        'CloudTrail file that is not JSON',
        () => ['--cloudtrail', ct('not-json.json')],
        /not-json\.json: the CloudTrail file is not valid JSON/,
      ],
      [
        'CloudTrail JSON without Events',
        () => ['--cloudtrail', ct('no-events-array.json')],
        /no-events-array\.json: not the output of `aws cloudtrail lookup-events --output json`/,
      ],
      [
        'a cut embedded CloudTrailEvent',
        () => ['--cloudtrail', ct('truncated-embedded-event.json')],
        /truncated-embedded-event\.json: Events\[0\] \(EventId [0-9a-f-]+\): CloudTrailEvent is not valid JSON/,
      ],
      [
        '--query table output',
        () => ['--cloudtrail', ct('query-table-output.json')],
        /query-table-output\.json: not the output of/,
      ],
      [
        'a missing CloudTrail file',
        () => ['--cloudtrail', ct('does-not-exist.json')],
        /does-not-exist\.json: cannot read the CloudTrail file: no such file/,
      ],
      [
        'a Terraform state instead of a plan',
        () => [
          '--cloudtrail',
          ct('root-session-page1.json'),
          '--terraform-plan',
          fixture('terraform', 'state-not-plan.json'),
        ],
        /state-not-plan\.json: not a Terraform plan.*state/,
      ],
      [
        'a plan change without actions',
        () => [
          '--cloudtrail',
          ct('root-session-page1.json'),
          '--terraform-plan',
          fixture('terraform', 'change-without-actions.json'),
        ],
        /change-without-actions\.json: resource_changes\[0\] \(aws_eip\.x\) has no "change\.actions"/,
      ],
      [
        'an Argo CD file that is not a list',
        () => ['--cloudtrail', ct('root-session-page1.json'), '--argocd', fixture('argocd', 'not-a-list.json')],
        /not-a-list\.json: not `argocd app list -o json` output/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const bundle = writeBundle(tempDir(), 'root-bad', rootLoginSteps());
        const r = await cli('reconcile', '--bundle', bundle, ...args(), '--json');
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toMatch(message);
        expect(r.err).not.toMatch(/\n\s+at /);
      });
    }

    it('a bundle whose journal was edited', async () => {
      const dir = tempDir();
      const file = writeBundle(dir, 'root-edit', rootLoginSteps());
      const bundle = JSON.parse(readFileSync(file, 'utf8')) as {
        entries: Array<{ kind: string; payload: Record<string, unknown> }>;
      };
      const out = bundle.entries.find((e) => e.kind === 'signed_out');
      if (out) out.payload.signed_out_at = '2026-05-20T13:10:00.000Z';
      writeFileSync(
        file,
        bundleText(
          bundle as unknown as Bundle,
          (bundle as unknown as Bundle).entries.map((e) => canonicalize(e.payload)),
        ),
      );
      const r = await cli('reconcile', '--bundle', file, '--cloudtrail', ct('root-session-page1.json'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /root-edit\.bundle\.json: the bundle verifies as TAMPERED \(seq \d+: .*edited.*\); reconcile compares only evidence that verifies/,
      );
    });

    it('--attach to a journal that does not hold the ceremony: one line, exit 2, nothing attached', async () => {
      const dir = tempDir();
      const bundle = writeBundle(dir, 'root-elsewhere', rootLoginSteps());
      const dataDir = path.join(dir, 'other-laptop');
      openJournal({ dataDir }).close();
      const r = await cli(
        'reconcile',
        '--bundle',
        bundle,
        '--cloudtrail',
        ct('root-session-page1.json'),
        '--attach',
        '--data-dir',
        dataDir,
      );
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^breakglass reconcile: ceremony \S+: not in this journal; nothing attached \(give the --data-dir of the journal that recorded it\)$/,
      );
      const journal = openJournal({ dataDir });
      expect(journal.ceremonies()).toEqual([]);
      journal.close();
    });

    it('a file that is not a bundle, and missing options', async () => {
      const notBundle = await cli(
        'reconcile',
        '--bundle',
        ct('root-session-page1.json'),
        '--cloudtrail',
        ct('root-session-page1.json'),
      );
      expect(notBundle.code).toBe(2);
      expect(notBundle.err).toMatch(/root-session-page1\.json is JSON but not a Breakglass bundle/);
      const noTrail = await cli('reconcile', '--bundle', 'x.json');
      expect(noTrail.code).toBe(2);
      expect(noTrail.err).toContain('--cloudtrail is required');
      expect((await cli('reconcile', '--cloudtrail', 'x.json')).err).toContain('--bundle is required');
    });
  });

  it('warns when a CloudTrail file stops at a NextToken, and not when the last page is given too', async () => {
    const bundle = writeBundle(tempDir(), 'root-token', rootLoginSteps());
    const r = await cli('reconcile', '--bundle', bundle, '--cloudtrail', ct('with-next-token.json'), '--json');
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as { warnings: string[] }).warnings.join('\n')).toMatch(
      /every lookup-events page given \(.*with-next-token\.json\) carries a NextToken/,
    );
    // with-next-token.json is page 1; root-session-page1.json has no NextToken: it is the last page.
    const both = await cli(
      'reconcile',
      '--bundle',
      bundle,
      '--cloudtrail',
      ct('with-next-token.json'),
      '--cloudtrail',
      ct('root-session-page1.json'),
      '--json',
    );
    expect((JSON.parse(both.out) as { warnings: string[] }).warnings.join('\n')).not.toMatch(/NextToken/);
  });
});
