import type { ParsedAwsAction } from './parsed-aws-action';

const ROOT_CONVENIENCE = 'runbook anti-pattern: "Do NOT use root credentials to create IAM users / access keys / policies for convenience"';

/** IAM calls that leave a principal, credential or permission behind after the session ends. */
const PERSISTENT_IAM: Record<string, string> = {
  CreateUser: 'creates an IAM user; it outlives the session (cleanup Step 3d: delete it or document it)',
  CreateAccessKey: 'creates an access key; it outlives the session and must be deleted or rotated',
  CreateLoginProfile: 'creates a console password for an IAM user',
  UpdateLoginProfile: 'sets a console password for an IAM user',
  CreatePolicy: 'creates an IAM policy',
  CreatePolicyVersion: 'changes an IAM policy',
  PutUserPolicy: 'writes an inline policy on a user',
  PutRolePolicy: 'writes an inline policy on a role',
  PutGroupPolicy: 'writes an inline policy on a group',
};

const ATTACH = new Set(['AttachRolePolicy', 'AttachUserPolicy', 'AttachGroupPolicy']);

/** Reads that expose a secret: whatever was read is treated as compromised. */
const SECRET_READS = new Set(['secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'kms:Decrypt']);

/**
 * Warnings the operator sees when logging an action, in the runbooks' own words. They do not
 * block logging: the journal records what happened, and the postmortem must explain it.
 */
export function detectAntiPatterns(text: string, parsed: ParsedAwsAction[]): string[] {
  const warnings: string[] = [];
  const add = (w: string) => {
    if (!warnings.includes(w)) warnings.push(w);
  };
  for (const a of parsed) {
    if (a.service === 'iam' && PERSISTENT_IAM[a.operation]) add(`${a.iam_action} ${PERSISTENT_IAM[a.operation]}: ${ROOT_CONVENIENCE}`);
    else if (a.service === 'iam' && ATTACH.has(a.operation)) {
      add(`${a.iam_action} attaches a policy; it must be detached (or committed to Terraform) in cleanup Step 5: ${ROOT_CONVENIENCE}`);
    }
    if (SECRET_READS.has(a.iam_action)) add(`${a.iam_action} reads a secret: treat it as compromised and rotate it (cleanup Step 4)`);
    else if (a.read_only) {
      add(`${a.iam_action} is a read-only call: "Do not browse"; reconnaissance not needed for the incident must be mentioned in the postmortem`);
    }
  }
  if (/\baws\s+(?:--\S+\s+\S+\s+)*s3\s+presign\b/.test(text)) {
    add('aws s3 presign creates a signed URL that works after the session ends; rotate it (cleanup Step 4)');
  }
  return warnings;
}
