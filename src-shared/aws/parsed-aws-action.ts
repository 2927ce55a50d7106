/** One AWS API call a CLI line makes, named the three ways the journal and CloudTrail name it. */
export interface ParsedAwsAction {
  /** IAM action prefix: `ec2`, `s3` (also for `aws s3api`/`aws s3`), `sso` (for `aws sso-admin`). */
  service: string;
  /** API operation as CloudTrail's eventName spells it: `TerminateInstances`. */
  operation: string;
  /** `ec2:TerminateInstances` */
  iam_action: string;
  /** `ec2.amazonaws.com` */
  event_source: string;
  read_only: boolean;
}
