import { existsSync } from 'node:fs';
import type { VerifiedBundle } from '../evidence/verified-bundle';
import { parseArgoCdApps } from './argocd-apps';
import { parseCloudTrailBytes } from './cloudtrail-events';
import { parsePublicKeys, readDigest, validateDigests, type DigestInput } from './digest-validation';
import { ReconcileInputError } from './input-error';
import { ceremonyEvidence } from './load-ceremony-bundle';
import { isRecord, readInputBytes, readJsonFile } from './read-json-file';
import type { ReconcileInputs } from './reconcile';
import { parseTerraformPlan } from './terraform-plan';

export interface ReconcileFiles {
  /** The ceremony's bundle as the one evidence verifier judged it (a file, or the app's live journal). */
  bundle: VerifiedBundle;
  cloudtrail: string[];
  terraformPlan?: string;
  argocd?: string;
  /** CloudTrail digest files (.json or .json.gz); each may have `<file>.sig` or `<file>.head.json` beside it. */
  digests?: string[];
  /** `aws cloudtrail list-public-keys --output json`, exported beforehand. */
  publicKeys?: string;
}

/** The signature of the newest digest is S3 object metadata: saved beside it as hex or head-object JSON. */
function sidecarSignature(file: string): string | undefined {
  if (existsSync(`${file}.sig`))
    return readInputBytes(`${file}.sig`, 'the digest signature', 4096).toString('utf8').trim();
  if (existsSync(`${file}.head.json`)) {
    const head = readJsonFile(`${file}.head.json`, 'the digest head-object output').json;
    const meta = isRecord(head) && isRecord(head.Metadata) ? head.Metadata : {};
    if (typeof meta.signature === 'string') return meta.signature;
  }
  return undefined;
}

/**
 * Reads and checks every input before anything is compared, so a bad file stops the run with
 * its name and the problem instead of giving a half reconciliation.
 */
export function readReconcileInputs(files: ReconcileFiles): ReconcileInputs {
  const loaded = ceremonyEvidence(files.bundle);
  if (files.cloudtrail.length === 0)
    throw new ReconcileInputError(
      'CloudTrail',
      "at least one CloudTrail file is required (lookup-events --output json, or the trail's S3 log files)",
      'no-cloudtrail',
    );
  const inputs: ReconcileInputs = {
    bundle: loaded.bundle,
    bundleFile: { file: loaded.file, sha256: loaded.sha256 },
    evidence: loaded.evidence,
    cloudtrail: files.cloudtrail.map((f) => parseCloudTrailBytes(f, readInputBytes(f, 'the CloudTrail file'))),
  };
  if (files.terraformPlan)
    inputs.terraformPlan = parseTerraformPlan(readJsonFile(files.terraformPlan, 'the Terraform plan JSON'));
  if (files.argocd) inputs.argocd = parseArgoCdApps(readJsonFile(files.argocd, 'the Argo CD app list'));
  const digests = files.digests ?? [];
  if (digests.length > 0) {
    if (!files.publicKeys)
      throw new ReconcileInputError(
        'CloudTrail digests',
        "digest files need CloudTrail's public keys (aws cloudtrail list-public-keys --output json, exported beforehand)",
        'digests-without-public-keys',
      );
    const keys = parsePublicKeys(files.publicKeys, readJsonFile(files.publicKeys, 'the CloudTrail public keys').json);
    const read: DigestInput[] = digests.map((f) =>
      readDigest(f, readInputBytes(f, 'the CloudTrail digest file'), sidecarSignature(f)),
    );
    inputs.integrity = validateDigests(read, keys, inputs.cloudtrail);
  } else if (files.publicKeys)
    throw new ReconcileInputError(
      'CloudTrail public keys',
      'public keys given without any digest file',
      'public-keys-without-digests',
    );
  return inputs;
}
