import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir';
import { fixture, roleSteps, rootLoginSteps } from './support/ceremony-journal';
import { edited, recordOf, reconcileSteps, writeTrailLog } from './support/trail-records';

const tempDir = useTempDir('breakglass-reconcile-cleanup-');
const ct = (name: string) => fixture('cloudtrail', name);

describe('side effects that outlive the session, with the command that undoes each', () => {
  it("the runbook's own examples: a trust policy replaced (Step 5) and a secret read (Step 4)", () => {
    const r = reconcileSteps(tempDir(), 'role-cleanup', roleSteps(), { cloudtrail: [ct('role-session.json')] });
    const trust = r.cleanup.find((c) => c.eventName === 'UpdateAssumeRolePolicy');
    expect(trust).toMatchObject({
      list: 'policies',
      step: 'cleanup Step 5 (IAM policy restored)',
      eventIds: [recordOf('role-session.json', 'UpdateAssumeRolePolicy').eventID],
    });
    expect(trust?.command).toMatch(/^aws iam update-assume-role-policy --role-name orders-irsa --policy-document /);
    expect(r.cleanup.find((c) => c.list === 'secrets')).toMatchObject({
      what: 'secret bookstore/ci/stripe-temp',
      command: 'aws secretsmanager rotate-secret --secret-id bookstore/ci/stripe-temp',
    });
    expect(r.needsAttention).toContain('1 secret(s) read in the session: rotate them (cleanup Step 4)');
  });

  it('a declared side effect is still on the list (declared is not cleaned up)', () => {
    const r = reconcileSteps(tempDir(), 'root-declared-attach', rootLoginSteps(), {
      cloudtrail: [ct('root-session-page1.json'), ct('root-session-page2.json')],
    });
    const attach = r.cleanup.find((c) => c.eventName === 'AttachRolePolicy');
    expect(attach?.declaredSeq).toBe(r.matched.find((m) => m.eventName === 'AttachRolePolicy')?.declaredSeq);
    expect(attach?.command).toBe(
      'aws iam detach-role-policy --role-name orders-irsa --policy-arn arn:aws:iam::039624954211:policy/emergency-irsa',
    );
    expect(r.cleanup.find((c) => c.eventName === 'CreateAccessKey')?.command).toBe(
      'aws iam delete-access-key --user-name tmp-breakglass --access-key-id AKIAQ3EXAMPLETMPKEY',
    );
  });

  it('lists every credential and permission kind the issue names, each with its event id and undo command', () => {
    const dir = tempDir();
    // Copies of the fixture's root CreateUser with eventName and parameters changed (no public
    // record of each of these calls by root exists; the field names follow the IAM API).
    const base = recordOf('root-session-page1.json', 'CreateUser', 1);
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown> | null, string, string]> = [
      ['CreateLoginProfile', { userName: 'tmp' }, null, 'credentials', 'aws iam delete-login-profile --user-name tmp'],
      [
        'UpdateLoginProfile',
        { userName: 'tmp' },
        null,
        'credentials',
        'aws iam delete-login-profile --user-name tmp  # or reset it to a value only its owner knows',
      ],
      [
        'CreateVirtualMFADevice',
        { virtualMFADeviceName: 'tmp-mfa' },
        { virtualMFADevice: { serialNumber: 'arn:aws:iam::039624954211:mfa/tmp-mfa' } },
        'credentials',
        'aws iam delete-virtual-mfa-device --serial-number arn:aws:iam::039624954211:mfa/tmp-mfa',
      ],
      [
        'UploadSSHPublicKey',
        { userName: 'tmp' },
        { sSHPublicKey: { sSHPublicKeyId: 'APKAEIBAERJR2EXAMPLE' } },
        'credentials',
        'aws iam delete-ssh-public-key --user-name tmp --ssh-public-key-id APKAEIBAERJR2EXAMPLE',
      ],
      [
        'CreateServiceSpecificCredential',
        { userName: 'tmp', serviceName: 'codecommit.amazonaws.com' },
        { serviceSpecificCredential: { serviceSpecificCredentialId: 'ACCAEXAMPLE123' } },
        'credentials',
        'aws iam delete-service-specific-credential --user-name tmp --service-specific-credential-id ACCAEXAMPLE123',
      ],
      [
        'UploadSigningCertificate',
        { userName: 'tmp' },
        { certificate: { certificateId: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE' } },
        'credentials',
        'aws iam delete-signing-certificate --user-name tmp --certificate-id TA7SMP42TDN5Z26OBPJE7EXAMPLE',
      ],
      [
        'PutRolePolicy',
        { roleName: 'orders-irsa', policyName: 'emergency' },
        null,
        'policies',
        'aws iam delete-role-policy --role-name orders-irsa --policy-name emergency',
      ],
      [
        'AttachUserPolicy',
        { userName: 'tmp', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        null,
        'policies',
        'aws iam detach-user-policy --user-name tmp --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
      ],
      [
        'PutUserPolicy',
        { userName: 'tmp', policyName: 'p' },
        null,
        'policies',
        'aws iam delete-user-policy --user-name tmp --policy-name p',
      ],
      [
        'AttachGroupPolicy',
        { groupName: 'ops', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
        null,
        'policies',
        'aws iam detach-group-policy --group-name ops --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
      ],
      [
        'PutGroupPolicy',
        { groupName: 'ops', policyName: 'p' },
        null,
        'policies',
        'aws iam delete-group-policy --group-name ops --policy-name p',
      ],
      [
        'AddUserToGroup',
        { groupName: 'admins', userName: 'tmp' },
        null,
        'policies',
        'aws iam remove-user-from-group --group-name admins --user-name tmp',
      ],
      [
        'SetDefaultPolicyVersion',
        { policyArn: 'arn:aws:iam::039624954211:policy/orders', versionId: 'v3' },
        null,
        'policies',
        'aws iam set-default-policy-version --policy-arn arn:aws:iam::039624954211:policy/orders --version-id <the version Terraform expects>',
      ],
    ];
    const records = cases.map(([name, req, res], i) =>
      edited(base, {
        eventName: name,
        eventTime: `2026-05-20T13:1${i % 10}:0${i % 6}Z`,
        requestParameters: req,
        responseElements: res,
      }),
    );
    const rootSecret = (over: Record<string, unknown>) =>
      edited(base, {
        userIdentity: recordOf('root-session-page1.json', 'CreateUser', 1).userIdentity,
        readOnly: true,
        ...over,
      });
    const ssm = rootSecret({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'GetParameter',
      requestParameters: { name: '/orders/db-password', withDecryption: true },
    });
    const ssmPlain = rootSecret({
      eventSource: 'ssm.amazonaws.com',
      eventName: 'GetParameter',
      requestParameters: { name: '/orders/region' },
    });
    const pw = rootSecret({
      eventSource: 'ec2.amazonaws.com',
      eventName: 'GetPasswordData',
      requestParameters: { instanceId: 'i-0win' },
    });
    const failed = edited(base, {
      eventName: 'PutRolePolicy',
      errorCode: 'AccessDenied',
      requestParameters: { roleName: 'x', policyName: 'y' },
    });
    const file = writeTrailLog(dir, 'iam.json', [...records, ssm, ssmPlain, pw, failed]);
    const r = reconcileSteps(
      dir,
      'root-iam-kinds',
      rootLoginSteps().filter((s) => s.kind !== 'action_logged'),
      { cloudtrail: [file] },
    );
    for (const [name, , , list, command] of cases) {
      const item = r.cleanup.find((c) => c.eventName === name);
      expect(item, name).toMatchObject({ list, command });
      expect(item?.eventIds).toHaveLength(1);
    }
    expect(r.cleanup.filter((c) => c.list === 'secrets').map((c) => c.what)).toEqual([
      'SecureString parameter /orders/db-password',
      'Windows Administrator password of i-0win',
    ]);
    // A refused call changed nothing: no cleanup item for it.
    expect(r.cleanup.some((c) => c.eventIds.includes(failed.eventID))).toBe(false);
  });
});
