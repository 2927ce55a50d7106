import type { ParsedAwsAction } from './parsed-aws-action';

const ROOT_CONVENIENCE =
  'runbook anti-pattern: "Do NOT use root credentials to create IAM users / access keys / policies for convenience"';

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
const SECRET_READS = new Set([
  'secretsmanager:GetSecretValue',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'kms:Decrypt',
]);

/** The verbs of doing, in the forms people write them: "addressed" or "made sure" are not "added". */
const CREATE = String.raw`(?:create[ds]?|creating|generate[ds]?|generating|add(?:ed|s|ing)?|made|make|issued?)`;
const ATTACH_VERB = String.raw`(?:attach(?:ed|es|ing)?|add(?:ed|s|ing)?|grant(?:ed|s|ing)?|gave|give)`;

/**
 * What the runbooks forbid, recognised in a clause that describes a console action in words
 * rather than an `aws` command ("created an access key for the root user"). Heuristic by nature:
 * it only adds a warning, never blocks, and a miss is caught by the CloudTrail reconciliation.
 */
const CONSOLE_CHANGES: ReadonlyArray<{ pattern: RegExp; warning: string }> = [
  {
    pattern: new RegExp(String.raw`\b${CREATE}\b.*\baccess[ -]?keys?\b|\baccess[ -]?keys?\b.*\b${CREATE}\b`, 'i'),
    warning: `console: an access key was created; it outlives the session and must be deleted or rotated ("Root user has no programmatic access keys ever"): ${ROOT_CONVENIENCE}`,
  },
  {
    // "created user x", "created a temporary IAM user": the user right after the verb and a few
    // adjectives, not "... for the root user" or a "user-data script".
    pattern: new RegExp(
      String.raw`\b${CREATE}\s+(?:(?:an?|the|new|temporary|temp|break-?glass|iam|admin)\s+){0,4}users?\b(?!-)`,
      'i',
    ),
    warning: `console: an IAM user was created; it outlives the session (cleanup Step 3d: delete it or document it): ${ROOT_CONVENIENCE}`,
  },
  {
    pattern: new RegExp(
      String.raw`\b${ATTACH_VERB}\b.*\b(?:polic(?:y|ies)|AdministratorAccess|admin(?:istrator)? access)\b`,
      'i',
    ),
    warning: `console: a policy was attached or granted; it must be detached (or committed to Terraform) in cleanup Step 5: ${ROOT_CONVENIENCE}`,
  },
];

/** Undoing is the cleanup, not the anti-pattern; a negated clause says something was NOT done. */
const UNDO = /\b(?:delet|deactivat|remov|detach|revok|disabl)\w*/i;
const NEGATED = /\b(?:not|no|nobody|never|none|without)\b|n't\b|\bchecked that\b|\bconfirmed that\b/i;

/**
 * A console-action line that the runbooks forbid: the warnings, empty for anything else. Each
 * clause (split at ; , . and "then") is judged on its own, so "attached AdministratorAccess;
 * will remove it later" still warns, and a clause holding an `aws` command is left to the parser.
 */
export function consoleChangeWarnings(text: string): string[] {
  const out: string[] = [];
  for (const clause of text.split(/[;,.]|\bthen\b|\band then\b/i)) {
    if (/\baws\s+[a-z0-9-]+\s+[a-z0-9-]+/i.test(clause) || UNDO.test(clause) || NEGATED.test(clause)) continue;
    for (const c of CONSOLE_CHANGES) if (c.pattern.test(clause) && !out.includes(c.warning)) out.push(c.warning);
  }
  return out;
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
    if (a.service === 'iam' && PERSISTENT_IAM[a.operation])
      add(`${a.iam_action} ${PERSISTENT_IAM[a.operation]}: ${ROOT_CONVENIENCE}`);
    else if (a.service === 'iam' && ATTACH.has(a.operation)) {
      add(
        `${a.iam_action} attaches a policy; it must be detached (or committed to Terraform) in cleanup Step 5: ${ROOT_CONVENIENCE}`,
      );
    }
    if (SECRET_READS.has(a.iam_action))
      add(`${a.iam_action} reads a secret: treat it as compromised and rotate it (cleanup Step 4)`);
    else if (a.read_only) {
      add(
        `${a.iam_action} is a read-only call: "Do not browse"; reconnaissance not needed for the incident must be mentioned in the postmortem`,
      );
    }
  }
  // What a line describes in words beside (or instead of) an aws command: console work.
  for (const w of consoleChangeWarnings(text)) add(w);
  if (/\baws\s+(?:--\S+\s+\S+\s+)*s3\s+presign\b/.test(text)) {
    add('aws s3 presign creates a signed URL that works after the session ends; rotate it (cleanup Step 4)');
  }
  return warnings;
}

export type WarningLevel = 'critical' | 'warning' | 'note';

/**
 * How loud a warning is, judged by what it leaves behind. Critical: something outlives the
 * session (a user, an access key, a policy, a presigned URL) or the scenario cannot proceed.
 * Note: a read-only call, which the postmortem mentions but nothing needs undoing. Everything
 * else (a secret read, an unacknowledged founder, the timer) is a warning. The texts are this
 * module's own and derive-state's, so the level follows them here rather than in each screen.
 */
export function warningLevel(text: string): WarningLevel {
  if (/ is a read-only call: /.test(text)) return 'note';
  if (
    / outlives the session| must be deleted or rotated| must be detached| creates a console password| changes an IAM policy| writes an inline policy| creates an IAM policy| presign creates a signed URL|cannot proceed|FAR over|150 %/i.test(
      text,
    )
  )
    return 'critical';
  return 'warning';
}
