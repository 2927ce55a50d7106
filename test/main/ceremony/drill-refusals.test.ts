// A drill the core refuses stops with the core's refusal as a value (issue 17: one result shape,
// no round trip from a result to an exception and back), and the CLI says it in one line, exit 1.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run-cli';
import { runDrill } from '../../../src-main/use-cases/run-drill';
import { builtInConfig } from '../../../src-shared/config/example-config';
import { useTempDir } from '../../support/temp-dir';

const base = (dataDir: string, outDir: string) => ({
  dataDir,
  outDir,
  config: builtInConfig(),
  configSource: 'built-in example configuration',
  appVersion: 'test',
  startTime: new Date('2026-05-20T13:00:00Z'),
});

describe('a refused drill', () => {
  const tempDir = useTempDir();

  it('returns the refusal, naming the field, for a scenario the runbook does not have', async () => {
    const r = await runDrill({ ...base(tempDir(), tempDir()), scenario: 'sso-is-fine' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-input');
    expect(r.error.field).toBe('scenario');
    expect(r.error.message).toMatch(/^unknown scenario "sso-is-fine": use sso-down/);
  });

  it('returns the core refusal of a step, prefixed with the step, and exports nothing', async () => {
    const outDir = tempDir();
    // The running log refuses a line that holds a secret: the core's rule, not the drill's.
    const r = await runDrill({
      ...base(tempDir(), outDir),
      actions: ['ran: aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/^action 1: /);
    expect(r.error.code).toBe('invalid-input');
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('is one line on stderr and exit 1 from the CLI, nothing on stdout', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['drill', '--data-dir', tempDir(), '--export', tempDir(), '--scenario', 'sso-is-fine'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: {},
      now: () => new Date('2026-05-20T13:00:00Z'),
    });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.filter((l) => l.includes('DRILL stopped'))).toEqual([
      'breakglass drill: DRILL stopped: unknown scenario "sso-is-fine": use sso-down, mfa-lost, console-outage or p0-role',
    ]);
  });
});
