/**
 * Reads the pasted JSON output of `aws sts assume-role`. It carries AccessKeyId,
 * SecretAccessKey and SessionToken: this keeps only the Expiration and the role ARN, and its
 * error messages never quote the input, so no secret can reach the journal or a log.
 */
export interface AssumeRoleFacts {
  /** arn:aws:iam::<account>:role/<name> */
  role_arn: string;
  /** arn:aws:sts::<account>:assumed-role/<name>/<session> */
  assumed_role_arn: string;
  expiration: string;
}

export type AssumeRoleParse = { ok: true; value: AssumeRoleFacts } | { ok: false; message: string };

const ASSUMED = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/;

export function parseAssumeRoleOutput(text: string): AssumeRoleParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      ok: false,
      message: 'this is not JSON: paste the whole output of `aws sts assume-role ... --output json`',
    };
  }
  if (!isObject(json)) return { ok: false, message: 'expected a JSON object with Credentials and AssumedRoleUser' };
  const creds = json.Credentials;
  const user = json.AssumedRoleUser;
  if (!isObject(creds) || typeof creds.Expiration !== 'string')
    return { ok: false, message: 'Credentials.Expiration is missing' };
  if (!isObject(user) || typeof user.Arn !== 'string') return { ok: false, message: 'AssumedRoleUser.Arn is missing' };
  const exp = Date.parse(creds.Expiration);
  if (Number.isNaN(exp)) return { ok: false, message: 'Credentials.Expiration is not a time' };
  const m = ASSUMED.exec(user.Arn);
  if (!m)
    return {
      ok: false,
      message: 'AssumedRoleUser.Arn is not an assumed-role ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>)',
    };
  return {
    ok: true,
    value: {
      role_arn: `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`,
      assumed_role_arn: user.Arn,
      expiration: new Date(exp).toISOString(),
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
