/**
 * Where CloudTrail's eventName is not the API operation the CLI calls. Most services record the
 * operation name itself (compared case-insensitively: RDS's model says FailoverDBCluster where
 * the CLI word gives FailoverDbCluster); this table holds only the exceptions, each from the
 * service's "logging with CloudTrail" page. Key: `<cli service> <Operation>`.
 */
const EVENT_NAME_EXCEPTIONS: Record<string, string> = {
  // Amazon S3 user guide, "Amazon S3 CloudTrail events": bucket-level names of the older API.
  's3api PutPublicAccessBlock': 'PutBucketPublicAccessBlock',
  's3api GetPublicAccessBlock': 'GetBucketPublicAccessBlock',
  's3api DeletePublicAccessBlock': 'DeleteBucketPublicAccessBlock',
  's3api PutBucketLifecycleConfiguration': 'PutBucketLifecycle',
  's3api GetBucketLifecycleConfiguration': 'GetBucketLifecycle',
  's3api PutBucketNotificationConfiguration': 'PutBucketNotification',
  's3api GetBucketNotificationConfiguration': 'GetBucketNotification',
  // s3control's account-level block is recorded with "Account" in the name.
  's3control PutPublicAccessBlock': 'PutAccountPublicAccessBlock',
  's3control GetPublicAccessBlock': 'GetAccountPublicAccessBlock',
  's3control DeletePublicAccessBlock': 'DeleteAccountPublicAccessBlock',
};

/** The eventName CloudTrail records for `aws <cliService> <operation>`. */
export function cloudTrailOperation(cliService: string, operation: string): string {
  return EVENT_NAME_EXCEPTIONS[`${cliService} ${operation}`] ?? operation;
}

/**
 * Lambda's CloudTrail names carry an API version (`UpdateFunctionCode20150331v2`), and case
 * differs between service models and CLI words: compare on this key.
 */
export function eventNameKey(name: string): string {
  return name.replace(/\d{8}(v\d+)?$/, '').toLowerCase();
}

/**
 * Data events: never in `lookup-events` (Event history holds management events only), and in a
 * trail's log files only when the trail selects them. A declared data call with no event is
 * "cannot be checked here", not "missing". Key: `<eventSource> <eventName>`.
 */
const DATA_EVENTS = new Set(
  [
    ...[
      'GetObject',
      'PutObject',
      'CopyObject',
      'DeleteObject',
      'DeleteObjects',
      'HeadObject',
      'ListObjects',
      'ListObjectsV2',
      'RestoreObject',
      'SelectObjectContent',
      'CreateMultipartUpload',
      'UploadPart',
      'CompleteMultipartUpload',
      'GetObjectAcl',
      'PutObjectAcl',
      'GetObjectTagging',
      'PutObjectTagging',
    ].map((n) => `s3.amazonaws.com ${n}`),
    'lambda.amazonaws.com Invoke',
    ...['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem'].map(
      (n) => `dynamodb.amazonaws.com ${n}`,
    ),
  ].map((k) => k.toLowerCase()),
);

export function isDataEvent(eventSource: string, eventName: string): boolean {
  return DATA_EVENTS.has(`${eventSource} ${eventName}`.toLowerCase());
}
