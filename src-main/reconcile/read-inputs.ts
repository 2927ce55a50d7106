import { BundleReadError, readBundleFile } from '../bundle/read-bundle';
import { verifyChain } from '../journal/verify-chain';
import { parseArgoCdApps } from './argocd-apps';
import { parseCloudTrailFile } from './cloudtrail-events';
import { ReconcileInputError } from './input-error';
import { readJsonFile } from './read-json-file';
import { MAX_ARGOCD_BYTES, MAX_BUNDLE_BYTES, MAX_CLOUDTRAIL_BYTES, MAX_TERRAFORM_PLAN_BYTES } from '../fs/read-input-file';
import type { ReconcileInputs } from './reconcile';
import type { Bundle } from '../../src-shared/journal/types';
import { parseTerraformPlan } from './terraform-plan';

export interface ReconcileFiles {
  /** A bundle file, or a bundle the app just built from its live journal (never written to disk). */
  bundle: string | InMemoryBundle;
  cloudtrail: string[];
  terraformPlan?: string;
  argocd?: string;
  /** Bytes of these files already read by the app off its main thread (readRegularFileBytes), by path. */
  preread?: ReadonlyMap<string, Buffer>;
}

export interface InMemoryBundle {
  bundle: Bundle;
  /** What the report names as its bundle input, e.g. "journal <ceremony id>". */
  label: string;
  /** hex SHA-256 of the bundle text, so the report pins the exact journal it compared. */
  sha256: string;
}

function bundleInput(source: string | InMemoryBundle): { bundle: Bundle; file: string; sha256: string } {
  if (typeof source !== 'string') return { bundle: source.bundle, file: source.label, sha256: source.sha256 };
  // Parsed as JSON here only to name the problem and hash the bytes; the bundle module reads it.
  const raw = readJsonFile(source, 'the ceremony bundle', MAX_BUNDLE_BYTES);
  try {
    return { bundle: readBundleFile(source), file: source, sha256: raw.sha256 };
  } catch (error) {
    if (error instanceof BundleReadError) throw new ReconcileInputError(source, error.message.replace(`${source} `, ''));
    throw error;
  }
}

/**
 * Reads and checks every input before anything is compared, so a bad file stops the run with
 * its name and the problem instead of giving a half reconciliation.
 */
export function readReconcileInputs(files: ReconcileFiles): ReconcileInputs {
  const { bundle, file, sha256 } = bundleInput(files.bundle);
  // A reconciliation against an edited journal would certify the edit.
  const chain = verifyChain(bundle.ceremony_id, bundle.entries, bundle.head);
  if (!chain.ok) throw new ReconcileInputError(file, `the journal in the bundle fails verification at seq ${chain.seq}: ${chain.reason}`);

  if (files.cloudtrail.length === 0) throw new ReconcileInputError('--cloudtrail', 'at least one `aws cloudtrail lookup-events --output json` file is required');
  const inputs: ReconcileInputs = {
    bundle,
    bundleFile: { file, sha256 },
    cloudtrail: files.cloudtrail.map((f) => parseCloudTrailFile(readJsonFile(f, 'the CloudTrail file', MAX_CLOUDTRAIL_BYTES, files.preread?.get(f)))),
  };
  if (files.terraformPlan) inputs.terraformPlan = parseTerraformPlan(readJsonFile(files.terraformPlan, 'the Terraform plan JSON', MAX_TERRAFORM_PLAN_BYTES, files.preread?.get(files.terraformPlan)));
  if (files.argocd) inputs.argocd = parseArgoCdApps(readJsonFile(files.argocd, 'the Argo CD app list', MAX_ARGOCD_BYTES, files.preread?.get(files.argocd)));
  return inputs;
}
