import { nested, param } from './event-strings';
import type { TrailEvent } from './trail-event';

export type CleanupList = 'credentials' | 'policies' | 'secrets';

/** One thing that outlives the session, with the command that undoes it. */
export interface CleanupItem {
  list: CleanupList;
  eventName: string;
  /** What was created, changed or read, in words: "access key AKIA... of user tmp". */
  what: string;
  eventIds: string[];
  eventTime: string;
  /** The journal line that declared it: declared is not cleaned up. */
  declaredSeq?: number;
  /** Runbook step it belongs to: "cleanup Step 3d", "cleanup Step 4", "cleanup Step 5". */
  step: string;
  /** The exact command (runbook wording where the runbook has one). */
  command: string;
}

type Rule = (
  e: TrailEvent,
  req: Record<string, unknown>,
  res: Record<string, unknown>,
  rootCaller: boolean,
) => Omit<CleanupItem, 'eventName' | 'eventIds' | 'eventTime' | 'declaredSeq'> | undefined;

const q = (v: string) => (/^[\w@.:/+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`);
const cred = (what: string, command: string) => ({
  list: 'credentials' as const,
  what,
  step: 'cleanup Step 3d (secrets inventory)',
  command,
});
const pol = (what: string, command: string) => ({
  list: 'policies' as const,
  what,
  step: 'cleanup Step 5 (IAM policy restored)',
  command,
});
const secret = (what: string, command: string) => ({
  list: 'secrets' as const,
  what,
  step: 'cleanup Step 4 (rotate what the session read)',
  command,
});

/** IAM calls (iam.amazonaws.com) that leave a credential or a permission behind. */
const IAM: Record<string, Rule> = {
  CreateUser: (_e, req) =>
    cred(`IAM user ${param(req, 'userName')}`, `aws iam delete-user --user-name ${q(param(req, 'userName'))}`),
  CreateAccessKey: (_e, req, res, root) => {
    const key = nested(res, 'accessKey');
    const user = param(req, 'userName') || param(key, 'userName');
    const id = param(key, 'accessKeyId') || 'AKIA...';
    if (!user && root)
      return cred(
        `ROOT access key ${id} ("Root user has no programmatic access keys ever")`,
        `aws iam delete-access-key --access-key-id ${q(id)}  # signed in as root`,
      );
    return cred(
      `access key ${id} of ${user || 'the caller'}`,
      `aws iam delete-access-key --user-name ${q(user || '<NAME>')} --access-key-id ${q(id)}`,
    );
  },
  CreateLoginProfile: (_e, req) =>
    cred(
      `console password of IAM user ${param(req, 'userName')}`,
      `aws iam delete-login-profile --user-name ${q(param(req, 'userName'))}`,
    ),
  UpdateLoginProfile: (_e, req) =>
    cred(
      `console password changed for IAM user ${param(req, 'userName')}`,
      `aws iam delete-login-profile --user-name ${q(param(req, 'userName'))}  # or reset it to a value only its owner knows`,
    ),
  CreateVirtualMFADevice: (_e, req, res) => {
    const serial = param(nested(res, 'virtualMFADevice'), 'serialNumber') || param(req, 'virtualMFADeviceName');
    return cred(`virtual MFA device ${serial}`, `aws iam delete-virtual-mfa-device --serial-number ${q(serial)}`);
  },
  EnableMFADevice: (_e, req) =>
    cred(
      `MFA device ${param(req, 'serialNumber')} enabled for ${param(req, 'userName')}`,
      `aws iam deactivate-mfa-device --user-name ${q(param(req, 'userName'))} --serial-number ${q(param(req, 'serialNumber'))}`,
    ),
  UploadSSHPublicKey: (_e, req, res) => {
    const id = param(nested(res, 'sSHPublicKey'), 'sSHPublicKeyId') || '<KEY_ID>';
    return cred(
      `SSH public key ${id} of ${param(req, 'userName')}`,
      `aws iam delete-ssh-public-key --user-name ${q(param(req, 'userName'))} --ssh-public-key-id ${q(id)}`,
    );
  },
  CreateServiceSpecificCredential: (_e, req, res) => {
    const id = param(nested(res, 'serviceSpecificCredential'), 'serviceSpecificCredentialId') || '<CREDENTIAL_ID>';
    return cred(
      `${param(req, 'serviceName')} credential ${id} of ${param(req, 'userName')}`,
      `aws iam delete-service-specific-credential --user-name ${q(param(req, 'userName'))} --service-specific-credential-id ${q(id)}`,
    );
  },
  UploadSigningCertificate: (_e, req, res) => {
    const id = param(nested(res, 'certificate'), 'certificateId') || '<CERTIFICATE_ID>';
    return cred(
      `signing certificate ${id} of ${param(req, 'userName')}`,
      `aws iam delete-signing-certificate --user-name ${q(param(req, 'userName'))} --certificate-id ${q(id)}`,
    );
  },
  AttachRolePolicy: (_e, req) =>
    pol(
      `${param(req, 'policyArn')} attached to role ${param(req, 'roleName')}`,
      `aws iam detach-role-policy --role-name ${q(param(req, 'roleName'))} --policy-arn ${q(param(req, 'policyArn'))}`,
    ),
  AttachUserPolicy: (_e, req) =>
    pol(
      `${param(req, 'policyArn')} attached to user ${param(req, 'userName')}`,
      `aws iam detach-user-policy --user-name ${q(param(req, 'userName'))} --policy-arn ${q(param(req, 'policyArn'))}`,
    ),
  AttachGroupPolicy: (_e, req) =>
    pol(
      `${param(req, 'policyArn')} attached to group ${param(req, 'groupName')}`,
      `aws iam detach-group-policy --group-name ${q(param(req, 'groupName'))} --policy-arn ${q(param(req, 'policyArn'))}`,
    ),
  PutRolePolicy: (_e, req) =>
    pol(
      `inline policy ${param(req, 'policyName')} on role ${param(req, 'roleName')}`,
      `aws iam delete-role-policy --role-name ${q(param(req, 'roleName'))} --policy-name ${q(param(req, 'policyName'))}`,
    ),
  PutUserPolicy: (_e, req) =>
    pol(
      `inline policy ${param(req, 'policyName')} on user ${param(req, 'userName')}`,
      `aws iam delete-user-policy --user-name ${q(param(req, 'userName'))} --policy-name ${q(param(req, 'policyName'))}`,
    ),
  PutGroupPolicy: (_e, req) =>
    pol(
      `inline policy ${param(req, 'policyName')} on group ${param(req, 'groupName')}`,
      `aws iam delete-group-policy --group-name ${q(param(req, 'groupName'))} --policy-name ${q(param(req, 'policyName'))}`,
    ),
  AddUserToGroup: (_e, req) =>
    pol(
      `user ${param(req, 'userName')} added to group ${param(req, 'groupName')}`,
      `aws iam remove-user-from-group --group-name ${q(param(req, 'groupName'))} --user-name ${q(param(req, 'userName'))}`,
    ),
  CreatePolicy: (_e, req, res) => {
    const arn = param(nested(res, 'policy'), 'arn') || param(req, 'policyName');
    return pol(
      `managed policy ${arn} created`,
      `aws iam delete-policy --policy-arn ${q(arn)}  # detach it everywhere first, or commit it to Terraform`,
    );
  },
  CreatePolicyVersion: (_e, req, res) => {
    const v = param(nested(res, 'policyVersion'), 'versionId') || '<VERSION>';
    const dflt = req.setAsDefault === true ? ' (set as default)' : '';
    return pol(
      `new version ${v} of ${param(req, 'policyArn')}${dflt}`,
      `aws iam set-default-policy-version --policy-arn ${q(param(req, 'policyArn'))} --version-id <the version Terraform expects> && aws iam delete-policy-version --policy-arn ${q(param(req, 'policyArn'))} --version-id ${q(v)}`,
    );
  },
  SetDefaultPolicyVersion: (_e, req) =>
    pol(
      `default version of ${param(req, 'policyArn')} set to ${param(req, 'versionId')}`,
      `aws iam set-default-policy-version --policy-arn ${q(param(req, 'policyArn'))} --version-id <the version Terraform expects>`,
    ),
  UpdateAssumeRolePolicy: (_e, req) =>
    pol(
      `trust policy of role ${param(req, 'roleName')} replaced`,
      `aws iam update-assume-role-policy --role-name ${q(param(req, 'roleName'))} --policy-document file://<the trust policy in Terraform>  # or commit the new one to Terraform`,
    ),
};

/** Reads that return a secret: whatever was read is treated as compromised (runbook Step 4). */
const SECRET_READS: Record<string, Rule> = {
  'secretsmanager.amazonaws.com GetSecretValue': (_e, req) =>
    secret(
      `secret ${param(req, 'secretId')}`,
      `aws secretsmanager rotate-secret --secret-id ${q(param(req, 'secretId'))}`,
    ),
  'secretsmanager.amazonaws.com BatchGetSecretValue': () =>
    secret('secrets read in a batch', 'aws secretsmanager rotate-secret --secret-id <each secret of the batch>'),
  'ssm.amazonaws.com GetParameter': (_e, req) =>
    req.withDecryption === true
      ? secret(
          `SecureString parameter ${param(req, 'name')}`,
          `aws ssm put-parameter --name ${q(param(req, 'name'))} --type SecureString --overwrite --value <new value>`,
        )
      : undefined,
  'ssm.amazonaws.com GetParameters': (_e, req) =>
    req.withDecryption === true
      ? secret(
          `SecureString parameters ${Array.isArray(req.names) ? req.names.join(', ') : ''}`,
          'aws ssm put-parameter --name <each name> --type SecureString --overwrite --value <new value>',
        )
      : undefined,
  'ssm.amazonaws.com GetParametersByPath': (_e, req) =>
    req.withDecryption === true
      ? secret(
          `SecureString parameters under ${param(req, 'path')}`,
          `aws ssm put-parameter --name <each name under ${param(req, 'path')}> --type SecureString --overwrite --value <new value>`,
        )
      : undefined,
  'ec2.amazonaws.com GetPasswordData': (_e, req) =>
    secret(
      `Windows Administrator password of ${param(req, 'instanceId')}`,
      `reset the Administrator password on ${param(req, 'instanceId')} (EC2Launch / SSM AWS-ResetAccess)`,
    ),
};

/** The cleanup item a successful call leaves behind, if any. Failed calls changed nothing. */
export function sideEffectOf(e: TrailEvent, rootCaller: boolean): CleanupItem | undefined {
  if (e.errorCode) return undefined;
  const rule =
    e.eventSource === 'iam.amazonaws.com' ? IAM[e.eventName] : SECRET_READS[`${e.eventSource} ${e.eventName}`];
  if (!rule) return undefined;
  const d = e.detail();
  const req = nested(d, 'requestParameters');
  const item = rule(e, req, nested(d, 'responseElements'), rootCaller);
  return item ? { ...item, eventName: e.eventName, eventIds: [e.eventId], eventTime: e.eventTime } : undefined;
}
