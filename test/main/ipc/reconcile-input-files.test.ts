import { builtInConfig } from '../../../src-shared/config/example-config';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcileCeremony } from '../../../src-main/ipc/reconcile-views';
import type { Refusal } from '../../../src-shared/result';
import { useTempDir } from '../../support/temp-dir';
import { openTestJournal, rootLoginSteps, writeBundle, writeSteps } from '../reconcile/support/ceremony-journal';

const tempDir = useTempDir('breakglass-reconcile-ipc-');

async function refusal(files: { cloudtrail: string[]; terraform_plan?: string; argocd?: string }): Promise<Refusal> {
  const { journal, clock } = openTestJournal(path.join(tempDir(), 'data'));
  writeSteps(journal, clock, 'root-2026-05-20', rootLoginSteps());
  const before = journal.entries('root-2026-05-20').length;
  try {
    const result = await reconcileCeremony(
      journal,
      'root-2026-05-20',
      { ...files, attach: false },
      () => new Date(),
      builtInConfig(),
    );
    expect(journal.entries('root-2026-05-20')).toHaveLength(before);
    if (result.ok) throw new Error('the reconciliation was not refused');
    return result.error;
  } finally {
    journal.close();
  }
}

describe('ceremony:reconcile reads the paths the window sends as regular files only', () => {
  it('refuses a FIFO at once instead of freezing the main process', async () => {
    const fifo = path.join(tempDir(), 'cloudtrail.json');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal({ cloudtrail: [fifo] });
    expect(error.code).toBe('invalid-input');
    // The form highlights the field the file came from, named by the refusal, not by its text.
    expect(error.field).toBe('cloudtrail.0');
    expect(error.message).toBe(
      `${fifo}: the CloudTrail file is a named pipe (FIFO), not a regular file; save the content to a file and pass that file's path`,
    );
  });

  it('refuses /dev/zero as a Terraform plan and a directory as an Argo CD list, before anything is compared', async () => {
    const dir = tempDir();
    const trail = path.join(dir, 'trail.json');
    writeFileSync(trail, '{"Events":[]}');
    const plan = await refusal({ cloudtrail: [trail], terraform_plan: '/dev/zero' });
    expect(plan).toMatchObject({
      field: 'terraform_plan',
      message:
        "/dev/zero: the Terraform plan JSON is a character device, not a regular file; save the content to a file and pass that file's path",
    });
    const argocd = await refusal({ cloudtrail: [trail], argocd: dir });
    expect(argocd.field).toBe('argocd');
    expect(argocd.message).toContain('the Argo CD app list is a directory, not a regular file');
  });
});

describe('ceremony:reconcile words refusals for the form, never with the CLI flags', () => {
  it('no CloudTrail file: the cloudtrail field, and no --cloudtrail', async () => {
    // A ceremony whose evidence verifies, so the inputs are what is refused.
    const dir = tempDir();
    writeBundle(dir, 'root-2026-05-20', rootLoginSteps());
    const { journal } = openTestJournal(path.join(dir, 'data'));
    try {
      const result = await reconcileCeremony(
        journal,
        'root-2026-05-20',
        { cloudtrail: [], attach: false },
        () => new Date('2026-06-01T00:00:00.000Z'),
        builtInConfig(),
      );
      if (result.ok) throw new Error('the reconciliation was not refused');
      expect(result.error).toMatchObject({ code: 'invalid-input', field: 'cloudtrail' });
      expect(result.error.message).toMatch(/^at least one CloudTrail file is required/);
      expect(result.error.message).not.toMatch(/--cloudtrail\b/);
    } finally {
      journal.close();
    }
  });
});
