import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run-cli';
import { openJournal } from '../../../src-main/journal/journal';
import { listEnrolledKeys } from '../../../src-main/hardware-key/enrolment/enrolment-store';
import { readBundleEvidence } from '../../../src-main/evidence/read-evidence';
import { verifyEvidence } from '../../../src-main/evidence/verify-evidence';
import { builtInConfig } from '../../../src-shared/config/example-config';

const readBundleFile = (file: string) => readBundleEvidence(file).bundle;
import { VIRTUAL_AAGUID_HEX } from '../../../src-main/webauthn/virtual-marks';
import { useTempDir } from '../../support/temp-dir';

async function cli(argv: string[], now = '2026-05-20T13:00:00Z') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    now: () => new Date(now),
  });
  return { code, out, err };
}

describe('breakglass drill', () => {
  const tempDir = useTempDir();

  it('runs the full ceremony with the virtual key on a simulated clock; the bundle verifies and says DRILL', async () => {
    const dataDir = tempDir();
    const outDir = tempDir();
    const r = await cli([
      'drill',
      '--data-dir',
      dataDir,
      '--export',
      outDir,
      '--start-time',
      '2026-05-20T13:00:00Z',
      '--duration-minutes',
      '20',
      '--action',
      'ran: aws ec2 describe-instances --filters Name=tag:app,Values=api',
      '--action',
      'ran: aws ec2 terminate-instances --instance-ids i-0abc',
      '--action',
      'ran: aws iam create-user --user-name temp',
    ]);
    expect(r.code).toBe(0);
    // stdout is the bundle path alone, for scripts; the progress is on stderr.
    expect(r.out).toHaveLength(1);
    const bundlePath = r.out[0]!;
    expect(path.dirname(bundlePath)).toBe(outDir);
    expect(r.err[0]).toMatch(/^DRILL config: built-in example configuration/);
    expect(r.err.join('\n')).toMatch(/DRILL enrolled a virtual key for taha@example.com \(primary\)/);
    expect(r.err.join('\n')).toMatch(
      /DRILL action: ran: aws iam create-user --user-name temp \[iam:CreateUser\] WARNING: /,
    );

    const bundle = readBundleFile(bundlePath);
    expect(bundle.drill).toBe(true);
    const verdict = verifyEvidence(readBundleEvidence(bundlePath), {
      config: builtInConfig(),
      now: new Date('2026-11-21T12:00:00.000Z'),
    });
    expect(verdict.findings.map((f) => f.verdict)).toEqual(['ORIGIN NOT VERIFIED']);
    const trust = path.join(dataDir, 'drill-trust.json');
    expect((await cli(['key', 'export-trust', '--drill', '--data-dir', dataDir, '--out', trust])).code).toBe(0);
    const verified = await cli(['verify', bundlePath, '--trusted-keys', trust], '2026-05-21T09:00:00Z');
    expect(verified.code, verified.out.join('\n')).toBe(6);
    expect(verified.out[0]).toMatch(/^DRILL INTACT/);
    const kinds = bundle.entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'step_locked')).toHaveLength(6);
    expect(bundle.checkpoints.map((c) => c.step)).toEqual([
      'scenario',
      'notify',
      'sign_in',
      'audit_row',
      'sign_out',
      'seal',
    ]);
    const started = bundle.entries[0]!.payload as { drill: boolean; type: string };
    expect(started).toMatchObject({ drill: true, type: 'root-login' });
    const audit = bundle.entries.find((e) => e.kind === 'audit_row_written')!.payload as {
      row: { resource_id: string; metadata: { expected_session_duration_minutes: number } };
    };
    expect(audit.row.resource_id).toBe('039624954211'); // Production by default
    expect(audit.row.metadata.expected_session_duration_minutes).toBe(20);
    const actions = bundle.entries.filter((e) => e.kind === 'action_logged').map((e) => e.recorded_at);
    expect(actions).toEqual(['2026-05-20T13:11:00.000Z', '2026-05-20T13:16:00.000Z', '2026-05-20T13:21:00.000Z']);
    const out = bundle.entries.find((e) => e.kind === 'signed_out')!.payload as {
      duration_minutes: number;
      signed_out_at: string;
    };
    expect(out).toEqual({
      duration_minutes: 20,
      signed_out_at: '2026-05-20T13:26:00.000Z',
      expected_return_to_normal: 'DRILL: no outage; the standard path never left',
    });
    const sessionLog = readFileSync(r.err.at(-1)!.replace('DRILL session log: ', ''), 'utf8');
    expect(sessionLog).toMatch(/DRILL/);
    expect(sessionLog).toContain('Expected: DRILL: no outage; the standard path never left');

    // A second drill in the same data dir reuses the enrolled virtual key.
    const again = await cli([
      'drill',
      '--data-dir',
      dataDir,
      '--export',
      outDir,
      '--scenario',
      'console-outage',
      '--account',
      'Staging',
    ]);
    expect(again.code).toBe(0);
    expect(again.err.join('\n')).not.toMatch(/enrolled a virtual key/);
    const j = openJournal({ dataDir });
    expect(listEnrolledKeys(j.db)).toEqual([expect.objectContaining({ aaguid: VIRTUAL_AAGUID_HEX, label: 'primary' })]);
    expect(j.ceremonies()).toHaveLength(2);
    j.close();
  });

  it.each([
    ['sso-down', 'root-login'],
    ['p0-role', 'breakglass-role'],
  ])('without --start-time, a %s drill ends at the real now, never after it', async (scenario) => {
    // The CLI's "now" is the real time the drill runs at; every recorded time must be at or before it.
    const now = new Date('2026-05-20T13:00:00Z');
    const r = await cli([
      'drill',
      '--data-dir',
      tempDir(),
      '--export',
      tempDir(),
      '--scenario',
      scenario,
      '--duration-minutes',
      '20',
    ]);
    expect(r.code, r.err.join('\n')).toBe(0);
    const bundle = readBundleFile(r.out[0]!);
    // Every time something happened (not planned times such as a role session's expiry).
    const times = [
      ...bundle.entries.map((e) => e.recorded_at),
      ...bundle.checkpoints.map((c) => c.created_at),
      bundle.exported_at,
    ];
    const latest = Math.max(...times.map((t) => Date.parse(t)));
    expect(new Date(latest).toISOString()).toBe(now.toISOString());
    // ...and it is a drill of the length asked for: the session alone took 20 simulated minutes.
    expect(now.getTime() - Date.parse(bundle.entries[0]!.recorded_at)).toBeGreaterThan(20 * 60_000);
    expect(r.err[0]).toMatch(/^DRILL config: /);
  });

  it('runs the breakglass-role variant', async () => {
    const r = await cli([
      'drill',
      '--data-dir',
      tempDir(),
      '--export',
      tempDir(),
      '--scenario',
      'p0-role',
      '--start-time',
      '2026-05-20T13:00:00Z',
      '--duration-minutes',
      '30',
    ]);
    expect(r.code).toBe(0);
    const bundle = readBundleFile(r.out.at(-1)!);
    expect(bundle.checkpoints.map((c) => c.step)).toEqual(['scenario', 'notify', 'role_session', 'sign_out', 'seal']);
    expect(bundle.entries.find((e) => e.kind === 'role_session_started')!.payload).toMatchObject({
      source: 'vault',
      approver: 'drill-approver',
      cleanup_owner: 'drill-cleanup-owner',
    });
  });

  it('bad arguments get a clear error and leave nothing behind', async () => {
    const dataDir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['drill', '--export', tempDir()], /--data-dir is required/],
      [
        ['drill', '--data-dir', dataDir, '--export', tempDir(), '--start-time', 'yesterday'],
        /--start-time: expected an ISO 8601 time/,
      ],
      [
        ['drill', '--data-dir', dataDir, '--export', tempDir(), '--duration-minutes', '0'],
        /--duration-minutes: expected whole minutes/,
      ],
      [['drill', '--data-dir', dataDir, '--export', tempDir(), '--scenario', 'because'], /unknown scenario "because"/],
      [
        ['drill', '--data-dir', dataDir, '--export', tempDir(), '--account', 'Nowhere'],
        /no account "Nowhere" in the table/,
      ],
      [
        ['drill', '--data-dir', dataDir, '--export', tempDir(), '--config', path.join(dataDir, 'missing.yaml')],
        /the file does not exist/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv);
      expect(r.code).not.toBe(0);
      expect(r.err.join('\n')).toMatch(message);
    }
  });
});

describe('breakglass config', () => {
  const tempDir = useTempDir();
  it('shows the active configuration and validates a file', async () => {
    const dir = tempDir();
    const r = await cli(['config', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^active configuration: built-in example configuration/);
    expect(r.out.join('\n')).toMatch(/Production\s+039624954211/);
    const bad = path.join(dir, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'version: 1\nprincipals: []\n');
    const c = await cli(['config', '--check', bad]);
    expect(c.code).toBe(2);
    expect(c.err.join('\n')).toMatch(/principals: expected at least one break-glass principal \(line 2\)/);
  });
});
