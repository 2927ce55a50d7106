import { usableEvidence, type VerifiedBundle } from '../evidence/verified-bundle';
import { parseArgoCdApps } from './argocd-apps';
import { parseCloudTrailFile } from './cloudtrail-events';
import { ReconcileInputError } from './input-error';
import { readJsonFile } from './read-json-file';
import type { ReconcileInputs } from './reconcile';
import { parseTerraformPlan } from './terraform-plan';

export interface ReconcileFiles {
  /** The ceremony's bundle as the one evidence verifier judged it (a file, or the app's live journal). */
  bundle: VerifiedBundle;
  cloudtrail: string[];
  terraformPlan?: string;
  argocd?: string;
}

/**
 * Reads and checks every input before anything is compared, so a bad file stops the run with
 * its name and the problem instead of giving a half reconciliation.
 */
export function readReconcileInputs(files: ReconcileFiles): ReconcileInputs {
  const { report, label: file, sha256 } = files.bundle;
  // A reconciliation against an edited or runbook-breaking history would certify it.
  if (!usableEvidence(report)) {
    const first = report.findings[0];
    throw new ReconcileInputError(file, `the bundle verifies as ${report.verdict}${first ? ` (${first.seq === null ? '' : `seq ${first.seq}: `}${first.reason})` : ''}; reconcile compares only evidence that verifies (see breakglass verify)`);
  }
  const bundle = report.bundle;

  if (files.cloudtrail.length === 0) throw new ReconcileInputError('--cloudtrail', 'at least one `aws cloudtrail lookup-events --output json` file is required');
  const inputs: ReconcileInputs = {
    bundle,
    bundleFile: { file, sha256 },
    evidence: { verdict: report.verdict, findings: report.findings.map((f) => `${f.verdict}: ${f.seq === null ? '' : `seq ${f.seq}: `}${f.reason}`) },
    cloudtrail: files.cloudtrail.map((f) => parseCloudTrailFile(readJsonFile(f, 'the CloudTrail file'))),
  };
  if (files.terraformPlan) inputs.terraformPlan = parseTerraformPlan(readJsonFile(files.terraformPlan, 'the Terraform plan JSON'));
  if (files.argocd) inputs.argocd = parseArgoCdApps(readJsonFile(files.argocd, 'the Argo CD app list'));
  return inputs;
}
