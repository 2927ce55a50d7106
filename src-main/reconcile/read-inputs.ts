import { BundleReadError, readBundleFile } from '../bundle/read-bundle';
import { verifyChain } from '../journal/verify-chain';
import { parseArgoCdApps } from './argocd-apps';
import { parseCloudTrailFile } from './cloudtrail-events';
import { ReconcileInputError } from './input-error';
import { readJsonFile } from './read-json-file';
import type { ReconcileInputs } from './reconcile';
import { parseTerraformPlan } from './terraform-plan';

export interface ReconcileFiles {
  bundle: string;
  cloudtrail: string[];
  terraformPlan?: string;
  argocd?: string;
}

/**
 * Reads and checks every input before anything is compared, so a bad file stops the run with
 * its name and the problem instead of giving a half reconciliation.
 */
export function readReconcileInputs(files: ReconcileFiles): ReconcileInputs {
  // Parsed as JSON here only to name the problem and hash the bytes; the bundle module reads it.
  const raw = readJsonFile(files.bundle, 'the ceremony bundle');
  let bundle;
  try {
    bundle = readBundleFile(files.bundle);
  } catch (error) {
    if (error instanceof BundleReadError) throw new ReconcileInputError(files.bundle, error.message.replace(`${files.bundle} `, ''));
    throw error;
  }
  // A reconciliation against an edited journal would certify the edit.
  const chain = verifyChain(bundle.ceremony_id, bundle.entries, bundle.head);
  if (!chain.ok) throw new ReconcileInputError(files.bundle, `the journal in the bundle fails verification at seq ${chain.seq}: ${chain.reason}`);

  if (files.cloudtrail.length === 0) throw new ReconcileInputError('--cloudtrail', 'at least one `aws cloudtrail lookup-events --output json` file is required');
  const inputs: ReconcileInputs = {
    bundle,
    bundleFile: { file: files.bundle, sha256: raw.sha256 },
    cloudtrail: files.cloudtrail.map((f) => parseCloudTrailFile(readJsonFile(f, 'the CloudTrail file'))),
  };
  if (files.terraformPlan) inputs.terraformPlan = parseTerraformPlan(readJsonFile(files.terraformPlan, 'the Terraform plan JSON'));
  if (files.argocd) inputs.argocd = parseArgoCdApps(readJsonFile(files.argocd, 'the Argo CD app list'));
  return inputs;
}
