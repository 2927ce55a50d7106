import { describe, expect, it } from 'vitest';
import { detectAntiPatterns, parseAwsCliLine } from '../../../src-shared/aws/parse-cli-line';

const ops = (text: string) => parseAwsCliLine(text).map((a) => a.iam_action);

describe('parseAwsCliLine', () => {
  it('parses a session-log line into the API call with all its names', () => {
    expect(parseAwsCliLine('14:02 ran: aws ec2 terminate-instances --instance-ids i-0abc')).toEqual([
      {
        service: 'ec2',
        operation: 'TerminateInstances',
        iam_action: 'ec2:TerminateInstances',
        event_source: 'ec2.amazonaws.com',
        read_only: false,
      },
    ]);
  });

  it('skips global options placed before the service and after it', () => {
    expect(ops('aws --region us-east-1 --profile x ec2 describe-instances')).toEqual(['ec2:DescribeInstances']);
    expect(ops('aws --region=us-east-1 --debug ec2 describe-instances')).toEqual(['ec2:DescribeInstances']);
    expect(ops('aws ec2 --region us-east-1 describe-instances --output json')).toEqual(['ec2:DescribeInstances']);
    expect(parseAwsCliLine('aws --profile x ec2 describe-instances')[0]?.read_only).toBe(true);
  });

  it('maps CLI service names to IAM prefixes and event sources', () => {
    expect(parseAwsCliLine('aws s3api get-object --bucket b --key k out')[0]).toMatchObject({
      service: 's3',
      operation: 'GetObject',
      event_source: 's3.amazonaws.com',
      read_only: true,
    });
    expect(parseAwsCliLine('aws sso-admin list-instances')[0]).toMatchObject({
      iam_action: 'sso:ListInstances',
      event_source: 'sso.amazonaws.com',
    });
    expect(parseAwsCliLine('aws cloudwatch put-metric-alarm --alarm-name a')[0]).toMatchObject({
      iam_action: 'cloudwatch:PutMetricAlarm',
      event_source: 'monitoring.amazonaws.com',
    });
    expect(parseAwsCliLine('aws elbv2 describe-load-balancers')[0]).toMatchObject({
      service: 'elasticloadbalancing',
      event_source: 'elasticloadbalancing.amazonaws.com',
    });
    expect(parseAwsCliLine('aws logs delete-log-group --log-group-name g')[0]).toMatchObject({
      iam_action: 'logs:DeleteLogGroup',
      event_source: 'logs.amazonaws.com',
    });
    expect(parseAwsCliLine('aws s3api list-objects-v2 --bucket b')[0]).toMatchObject({
      operation: 'ListObjectsV2',
      iam_action: 's3:ListBucket',
    });
  });

  it('spells IAM acronyms the way the API does', () => {
    expect(ops('aws iam enable-mfa-device --user-name u')).toEqual(['iam:EnableMFADevice']);
    expect(ops('aws iam list-open-id-connect-providers')).toEqual(['iam:ListOpenIDConnectProviders']);
    expect(ops('aws iam create-saml-provider --name n')).toEqual(['iam:CreateSAMLProvider']);
    expect(ops('aws iam create-policy --policy-name X --policy-document file://emergency.json')).toEqual([
      'iam:CreatePolicy',
    ]);
  });

  it('maps high-level s3 commands to the API calls they make', () => {
    expect(ops('aws s3 cp ./a.json s3://bucket/a.json')).toEqual(['s3:PutObject']);
    expect(ops('aws s3 cp s3://bucket/a.json ./a.json')).toEqual(['s3:GetObject']);
    expect(ops('aws s3 cp --acl private s3://b/a s3://c/a')).toEqual(['s3:PutObject']);
    expect(parseAwsCliLine('aws s3 cp s3://b/a s3://c/a').map((a) => a.operation)).toEqual(['CopyObject']);
    expect(parseAwsCliLine('aws s3 ls').map((a) => a.operation)).toEqual(['ListBuckets']);
    expect(parseAwsCliLine('aws s3 ls s3://bookstore-platform-audit/').map((a) => a.operation)).toEqual([
      'ListObjectsV2',
    ]);
    expect(parseAwsCliLine('aws s3 rm s3://b/k').map((a) => a.operation)).toEqual(['DeleteObject']);
    expect(parseAwsCliLine('aws s3 mv s3://b/k ./k').map((a) => a.operation)).toEqual(['GetObject', 'DeleteObject']);
    expect(parseAwsCliLine('aws s3 presign s3://b/k')).toEqual([]);
  });

  it('keeps non-aws lines as free text', () => {
    expect(parseAwsCliLine('ran: kubectl --kubeconfig /tmp/k.cfg get pods -A')).toEqual([]);
    expect(parseAwsCliLine('applied deploy/patch.yaml')).toEqual([]);
    expect(parseAwsCliLine('terraform apply -target aws_eip.x')).toEqual([]);
    expect(parseAwsCliLine('I think aws is down again')).toEqual([]);
    expect(parseAwsCliLine('echo "aws ec2 terminate-instances"')).toEqual([]);
    expect(parseAwsCliLine('')).toEqual([]);
    expect(parseAwsCliLine('aws configure list')).toEqual([]);
    expect(parseAwsCliLine('aws ec2 terminate-instances help')).toEqual([]);
  });

  it('finds every aws command of a pipeline or a continued line', () => {
    expect(ops('aws iam list-users | jq . && aws iam delete-user --user-name tmp')).toEqual([
      'iam:ListUsers',
      'iam:DeleteUser',
    ]);
    expect(
      ops('aws cloudtrail lookup-events \\\n  --start-time "2026-05-20T13:00:00Z" --output json > /tmp/ct.json'),
    ).toEqual(['cloudtrail:LookupEvents']);
    expect(ops('AWS_PROFILE=root /usr/local/bin/aws sts get-caller-identity')).toEqual(['sts:GetCallerIdentity']);
  });

  it('maps CLI customizations to the calls they make', () => {
    expect(ops('aws ecr get-login-password --region us-east-1')).toEqual(['ecr:GetAuthorizationToken']);
    expect(ops('aws eks update-kubeconfig --name prod')).toEqual(['eks:DescribeCluster']);
    expect(ops('aws logs tail /aws/lambda/x --follow')).toEqual(['logs:FilterLogEvents']);
  });
});

describe('detectAntiPatterns', () => {
  const warn = (text: string) => detectAntiPatterns(text, parseAwsCliLine(text));

  it('calls out creating IAM users, access keys, login profiles and policies', () => {
    for (const line of [
      'aws iam create-user --user-name tmp',
      'aws iam create-access-key --user-name tmp',
      'aws iam create-login-profile --user-name tmp --password x',
      'aws iam create-policy --policy-name X --policy-document file://p.json',
    ]) {
      const w = warn(line);
      expect(w, line).toHaveLength(1);
      expect(w[0]).toContain('Do NOT use root credentials to create IAM users / access keys / policies');
    }
  });

  it('calls out attaching policies with the cleanup step that undoes it', () => {
    const [w] = warn(
      'aws iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
    );
    expect(w).toContain('iam:AttachRolePolicy');
    expect(w).toContain('Step 5');
  });

  it('calls out browsing and secret reads', () => {
    expect(warn('aws ec2 describe-instances')[0]).toContain('Do not browse');
    expect(warn('aws secretsmanager get-secret-value --secret-id stripe')[0]).toContain('rotate');
    expect(warn('aws s3 presign s3://b/k')[0]).toContain('signed URL');
  });

  it('says nothing about a plain mutating call or free text', () => {
    expect(warn('aws ec2 terminate-instances --instance-ids i-0abc')).toEqual([]);
    expect(warn('kubectl get pods -A')).toEqual([]);
    expect(warn('restarted the orders worker from the EC2 console')).toEqual([]);
    expect(warn('looked at the CloudWatch dashboard for the fleet')).toEqual([]);
  });

  it('calls out what the runbooks forbid when it was done in the console and described in words', () => {
    const cases: Array<[string, RegExp[]]> = [
      ['Security credentials page: created an access key for the root user', [/access key was created/]],
      ['created user ci-temp and an access key for it', [/access key was created/, /IAM user was created/]],
      ['attached AdministratorAccess to the ci role', [/policy was attached/]],
      ['added the S3FullAccess policy to group devs', [/policy was attached/]],
    ];
    for (const [line, expected] of cases) {
      const w = warn(line);
      expect(w, line).toHaveLength(expected.length);
      expected.forEach((re, i) => expect(w[i], line).toMatch(re));
      for (const x of w)
        expect(x).toContain('Do NOT use root credentials to create IAM users / access keys / policies');
    }
    // Undoing is the cleanup, not the anti-pattern; saying it was NOT done is not doing it.
    expect(warn('deleted the access key created at 13:05')).toEqual([]);
    expect(warn('detached AdministratorAccess from the ci role')).toEqual([]);
    expect(warn('checked that nobody created an access key')).toEqual([]);
    expect(warn('confirmed the CI role does not have AdministratorAccess')).toEqual([]);
    expect(warn('addressed the trust policy issue with the platform team')).toEqual([]);
    expect(warn('created user-data script for the new launch template')).toEqual([]);
  });

  it('judges each clause on its own, and the words beside an aws command too', () => {
    // An undo promised in another clause does not cancel what this one did.
    expect(warn('attached AdministratorAccess to ci-role; will remove it after the incident')).toEqual([
      expect.stringMatching(/policy was attached/),
    ]);
    expect(warn('created an access key to rotate the stripe key')).toEqual([
      expect.stringMatching(/access key was created/),
    ]);
    expect(warn('created a temporary IAM user for the vendor')).toEqual([
      expect.stringMatching(/IAM user was created/),
    ]);
    const mixed = warn('ran aws sts get-caller-identity; then created an access key for bob in the console');
    expect(mixed.some((w) => /read-only call/.test(w))).toBe(true);
    expect(mixed.some((w) => /access key was created/.test(w))).toBe(true);
  });
});
