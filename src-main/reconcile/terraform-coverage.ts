import { isRecord } from './read-json-file';
import type { TrailEvent } from './trail-event';

/** A resource the session created that no Terraform state or plan address covers (Step 3b). */
export interface CreatedOutsideTerraform {
  eventId: string;
  eventTime: string;
  eventName: string;
  eventSource: string;
  /** The id, ARN or name CloudTrail gives for what was created (empty when it gives none). */
  ids: string[];
  declaredSeq?: number;
  /** The runbook's choice: import it (preferred) or delete it. */
  command: string;
}

const CREATE = /^(Create|Run|Allocate|Register|Import|Request|Issue|Publish)/;
/** Not resources: tags, uploads in progress, tokens. */
const NOT_RESOURCE =
  /^(CreateTags|CreateMultipartUpload|CreateToken|CreateSession|RequestSpotInstances|CreateLogStream)$/;
/**
 * The key that names what a create made, most specific first: a RunInstances response also
 * holds the (existing) security group and the account id, which must not count as "known".
 */
const PRIMARY_KEYS = [
  'instanceId',
  'allocationId',
  'natGatewayId',
  'snapshotId',
  'dBSnapshotIdentifier',
  'dBInstanceIdentifier',
  'dBClusterIdentifier',
  'functionArn',
  'functionName',
  'roleName',
  'policyArn',
  'loadBalancerArn',
  'targetGroupArn',
  'topicArn',
  'queueUrl',
  'clusterArn',
  'secretId',
  'keyId',
  'volumeId',
  'vpcId',
  'subnetId',
  'internetGatewayId',
  'routeTableId',
  'groupId',
  'bucketName',
  'arn',
  'ARN',
  'name',
  'id',
];

function primaryId(v: unknown): string | undefined {
  // Breadth first per key, so a top-level `groupId` of CreateSecurityGroup wins over nested ones.
  for (const key of PRIMARY_KEYS) {
    const queue: unknown[] = [v];
    for (let n = 0; queue.length > 0 && n < 2000; n++) {
      const x = queue.shift();
      if (Array.isArray(x)) queue.push(...x);
      else if (isRecord(x)) {
        const val = x[key];
        if (typeof val === 'string' && val.length > 0 && val.length < 512) return val;
        for (const y of Object.values(x)) if (typeof y === 'object' && y !== null) queue.push(y);
      }
    }
  }
  return undefined;
}

/** Delete commands for what breakglass sessions create most; anything else: import or its delete API. */
const DELETE: Record<string, (id: string) => string> = {
  RunInstances: (id) => `aws ec2 terminate-instances --instance-ids ${id}`,
  AllocateAddress: (id) => `aws ec2 release-address --allocation-id ${id}`,
  CreateSecurityGroup: (id) => `aws ec2 delete-security-group --group-id ${id}`,
  CreateBucket: (id) => `aws s3 rb s3://${id}`,
  CreateRole: (id) => `aws iam delete-role --role-name ${id}`,
  CreateFunction: (id) => `aws lambda delete-function --function-name ${id}`,
  CreateSnapshot: (id) => `aws ec2 delete-snapshot --snapshot-id ${id}`,
  CreateDBSnapshot: (id) => `aws rds delete-db-snapshot --db-snapshot-identifier ${id}`,
};

export function isCreate(e: TrailEvent): boolean {
  return (
    !e.errorCode &&
    !e.readOnly &&
    CREATE.test(e.eventName) &&
    !NOT_RESOURCE.test(e.eventName) &&
    e.eventSource !== 'sts.amazonaws.com' &&
    e.eventSource !== 'signin.amazonaws.com'
  );
}

/** What a create made, and whether the plan's state knows any of its ids. `known` undefined: no plan given. */
export function createdResource(e: TrailEvent, known: Set<string> | undefined): CreatedOutsideTerraform | undefined {
  const d = e.detail();
  const id = primaryId(d.responseElements) ?? e.resources[0] ?? primaryId(d.requestParameters);
  const tail = (s: string) => s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':')) + 1);
  if (known && id !== undefined && (known.has(id) || known.has(tail(id)))) return undefined;
  const ids = id === undefined ? [] : [id];
  const main = id ?? '<ID>';
  const name = e.eventName.replace(/\d{8}(v\d+)?$/, '');
  const del = DELETE[name];
  return {
    eventId: e.eventId,
    eventTime: e.eventTime,
    eventName: e.eventName,
    eventSource: e.eventSource,
    ids,
    command: `terraform import '<ADDRESS>' ${main}  # preferred; or delete it${del ? `: ${del(main)}` : ''}`,
  };
}
