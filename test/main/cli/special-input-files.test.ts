import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/run-cli';
import { useTempDir } from '../../support/temp-dir';
import { fixture, rootLoginSteps, writeBundle } from '../reconcile/support/ceremony-journal';

const tempDir = useTempDir('breakglass-special-files-');

/** The CLI with a FIFO or a device where a file belongs: one line, exit 2, never a wait or a crash. */
describe('the CLI reads inputs that are not regular files as bad input', () => {
  it('reconcile --cloudtrail FIFO and --terraform-plan /dev/zero', async () => {
    const dir = tempDir();
    const bundle = writeBundle(dir, 'root-fifo', rootLoginSteps());
    const fifo = path.join(dir, 'trail.json');
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['reconcile', '--bundle', bundle, '--cloudtrail', fifo]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `breakglass reconcile: ${fifo}: the CloudTrail file is a named pipe (FIFO), not a regular file; save the content to a file and pass that file's path`,
    );
    const zero = await cli([
      'reconcile',
      '--bundle',
      bundle,
      '--cloudtrail',
      fixture('cloudtrail', 'root-session-page1.json'),
      '--terraform-plan',
      '/dev/zero',
    ]);
    expect(zero.code).toBe(2);
    expect(zero.err).toBe(
      "breakglass reconcile: /dev/zero: the Terraform plan JSON is a character device, not a regular file; save the content to a file and pass that file's path",
    );
  });

  it('config --check FIFO and --config /dev/zero', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'config.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['config', '--data-dir', dir, '--check', fifo]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the configuration file is a named pipe (FIFO), not a regular file');
    const zero = await cli(['config', '--data-dir', dir, '--config', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.err).toContain(
      '/dev/zero: the configuration is not valid:\n  - the configuration file is a character device, not a regular file',
    );
  });
});
