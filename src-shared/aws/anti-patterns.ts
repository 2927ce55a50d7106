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
 * What the runbooks forbid, recognised in a line that describes a console action in words rather
 * than an `aws` command ("created an access key for the root user"). Heuristic by nature: it only
 * adds a warning, never blocks, and a miss is caught by the CloudTrail reconciliation.
 */
const CONSOLE_CHANGES: ReadonlyArray<{ pattern: RegExp; warning: string }> = [
  {
    pattern: /\b(?:creat|generat|add|mak)\w*\b[^.;]*\baccess[ -]?keys?\b|\baccess[ -]?keys?\b[^.;]*\b(?:creat|generat|add)\w*/i,
    warning: `console: an access key was created; it outlives the session and must be deleted or rotated ("Root user has no programmatic access keys ever"): ${ROOT_CONVENIENCE}`,
  },
  {
    // "created user x", "added a new IAM user": the user right after the verb, not "... for the root user"
    pattern: /\b(?:creat|add)\w*\s+(?:an?\s+)?(?:new\s+)?(?:iam\s+)?users?\b/i,
    warning: `console: an IAM user was created; it outlives the session (cleanup Step 3d: delete it or document it): ${ROOT_CONVENIENCE}`,
  },
  {
    pattern: /\b(?:attach|add|grant)\w*\b[^.;]*\b(?:polic\w*|AdministratorAccess|admin(?:istrator)? access)\b|\bAdministratorAccess\b/i,
    warning: `console: a policy was attached or granted; it must be detached (or committed to Terraform) in cleanup Step 5: ${ROOT_CONVENIENCE}`,
  },
];

/** A console-action line that the runbooks forbid: the warnings, empty for anything else. */
export function consoleChangeWarnings(text: string): string[] {
  // Undoing is the cleanup, not the anti-pattern ("deleted the access key created at 13:05").
  if (/\b(?:delet|deactivat|remov|detach|revok|rotat)\w*/i.test(text)) return [];
  return CONSOLE_CHANGES.filter((c) => c.pattern.test(text)).map((c) => c.warning);
}

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
  // A line with no aws command describes what was done in the console.
  if (parsed.length === 0) for (const w of consoleChangeWarnings(text)) add(w);
  if (/\baws\s+(?:--\S+\s+\S+\s+)*s3\s+presign\b/.test(text)) {
    add('aws s3 presign creates a signed URL that works after the session ends; rotate it (cleanup Step 4)');
  }
  return warnings;
}
