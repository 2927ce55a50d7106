/**
 * CLI service name -> IAM action prefix and CloudTrail eventSource. Most services use the CLI
 * name for both (`ec2` -> `ec2:`, `ec2.amazonaws.com`); this table holds only the exceptions, so
 * an unknown service still gets the usual guess instead of being dropped.
 */
interface ServiceNames {
  iamPrefix: string;
  eventSource: string;
}

const EXCEPTIONS: Record<string, ServiceNames> = {
  s3api: { iamPrefix: 's3', eventSource: 's3.amazonaws.com' },
  s3control: { iamPrefix: 's3', eventSource: 's3.amazonaws.com' },
  cloudwatch: { iamPrefix: 'cloudwatch', eventSource: 'monitoring.amazonaws.com' },
  'sso-admin': { iamPrefix: 'sso', eventSource: 'sso.amazonaws.com' },
  elb: { iamPrefix: 'elasticloadbalancing', eventSource: 'elasticloadbalancing.amazonaws.com' },
  elbv2: { iamPrefix: 'elasticloadbalancing', eventSource: 'elasticloadbalancing.amazonaws.com' },
  efs: { iamPrefix: 'elasticfilesystem', eventSource: 'elasticfilesystem.amazonaws.com' },
  emr: { iamPrefix: 'elasticmapreduce', eventSource: 'elasticmapreduce.amazonaws.com' },
  stepfunctions: { iamPrefix: 'states', eventSource: 'states.amazonaws.com' },
  configservice: { iamPrefix: 'config', eventSource: 'config.amazonaws.com' },
  opensearch: { iamPrefix: 'es', eventSource: 'es.amazonaws.com' },
  apigatewayv2: { iamPrefix: 'apigateway', eventSource: 'apigateway.amazonaws.com' },
  docdb: { iamPrefix: 'rds', eventSource: 'rds.amazonaws.com' },
  neptune: { iamPrefix: 'rds', eventSource: 'rds.amazonaws.com' },
  sesv2: { iamPrefix: 'ses', eventSource: 'ses.amazonaws.com' },
  resourcegroupstaggingapi: { iamPrefix: 'tag', eventSource: 'tagging.amazonaws.com' },
};

export function serviceNames(cliService: string): ServiceNames {
  return EXCEPTIONS[cliService] ?? { iamPrefix: cliService, eventSource: `${cliService}.amazonaws.com` };
}

/**
 * Words whose API spelling is not the PascalCase of the CLI word, per service (IAM writes
 * `EnableMFADevice`, Cognito writes `GetUserPoolMfaConfig`, so this cannot be global).
 */
const WORD_SPELLING: Record<string, Record<string, string>> = {
  iam: { mfa: 'MFA', saml: 'SAML', ssh: 'SSH', 'open-id': 'OpenID' },
};

/** `terminate-instances` -> `TerminateInstances`, `list-objects-v2` -> `ListObjectsV2`. */
export function operationName(cliService: string, cliOperation: string): string {
  const spelling = WORD_SPELLING[cliService] ?? {};
  let rest = cliOperation;
  for (const [from, to] of Object.entries(spelling)) {
    if (from.includes('-')) rest = rest.replace(new RegExp(`(^|-)${from}(-|$)`, 'g'), `$1${to}$2`);
  }
  return rest
    .split('-')
    .filter((w) => w.length > 0)
    .map((w) => spelling[w] ?? (w === w.toLowerCase() ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join('');
}

/**
 * IAM action names that differ from the operation name (S3 authorizes several calls under an
 * older action name). Key is `prefix:Operation`.
 */
const IAM_ACTION_EXCEPTIONS: Record<string, string> = {
  's3:ListObjectsV2': 's3:ListBucket',
  's3:ListObjects': 's3:ListBucket',
  's3:HeadObject': 's3:GetObject',
  's3:HeadBucket': 's3:ListBucket',
  's3:CopyObject': 's3:PutObject',
  's3:ListBuckets': 's3:ListAllMyBuckets',
  // CloudTrail's older event names (event-names.ts) against the IAM actions that authorize them.
  's3:PutBucketLifecycle': 's3:PutLifecycleConfiguration',
  's3:GetBucketLifecycle': 's3:GetLifecycleConfiguration',
  's3:PutAccountPublicAccessBlock': 's3:PutAccountPublicAccessBlock',
};

export function iamAction(iamPrefix: string, operation: string): string {
  const key = `${iamPrefix}:${operation}`;
  return IAM_ACTION_EXCEPTIONS[key] ?? key;
}

/** Calls that only read. CloudTrail marks these `readOnly: true`; the runbook calls them browsing. */
const READ_ONLY_PREFIXES = [
  'Describe',
  'List',
  'Get',
  'Head',
  'Lookup',
  'Search',
  'BatchGet',
  'Scan',
  'Query',
  'Select',
  'View',
  'Preview',
  'Estimate',
  'Simulate',
];
const READ_ONLY_EXACT = new Set(['Decrypt', 'Verify']);

export function isReadOnlyOperation(operation: string): boolean {
  if (READ_ONLY_EXACT.has(operation)) return true;
  return READ_ONLY_PREFIXES.some(
    (p) => operation.startsWith(p) && (operation.length === p.length || /[A-Z0-9]/.test(operation.charAt(p.length))),
  );
}
