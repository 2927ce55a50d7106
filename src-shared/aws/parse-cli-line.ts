import type { ParsedAwsAction } from './parsed-aws-action';
import { s3HighLevelOperations } from './s3-high-level';
import { iamAction, isReadOnlyOperation, operationName, serviceNames } from './service-names';
import { splitCommands } from './shell-words';

export type { ParsedAwsAction } from './parsed-aws-action';
export { detectAntiPatterns } from './anti-patterns';

/** Global options that take a value, so the word after them is not the service. */
const GLOBAL_WITH_VALUE = new Set([
  '--region', '--profile', '--output', '--endpoint-url', '--query', '--color', '--ca-bundle',
  '--cli-read-timeout', '--cli-connect-timeout', '--cli-binary-format',
]);

/**
 * Words a session-log line may carry before the command itself: "14:02 ran: aws ...",
 * "$ aws ...", "- aws ...", "AWS_PROFILE=x aws ...". Anything else (prose, `echo aws ...`) means
 * the `aws` word is not a command being run.
 */
function isLeadIn(word: string): boolean {
  return (
    /^\d[\d:TZ.+-]*$/.test(word) || // 14:02, 2026-05-20T13:05Z
    /^\[.*\]$/.test(word) || // [14:02]
    /^[\w.-]*:$/.test(word) || // ran:
    /^[$#>*•-]$/.test(word) ||
    /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || // AWS_PROFILE=x
    ['sudo', 'time', 'ran', 'run', 'running', 'exec', 'HH:MM'].includes(word)
  );
}

const isAwsWord = (w: string) => w === 'aws' || w.endsWith('/aws') || w === 'aws.exe';

/** Skips global options from `i`; returns the index of the next positional word. */
function skipGlobalOptions(words: string[], i: number): number {
  while (i < words.length) {
    const w = words[i] as string;
    if (!w.startsWith('--')) return i;
    i += GLOBAL_WITH_VALUE.has(w) ? 2 : 1;
  }
  return i;
}

/**
 * CLI commands that are client-side customizations, not API operations of the same name.
 * Value: the calls they make as [cli service, operation]; [] when they only work locally.
 */
const CUSTOMIZATIONS: Record<string, Array<[string, string]>> = {
  'ecr get-login-password': [['ecr', 'GetAuthorizationToken']],
  'ecr get-login': [['ecr', 'GetAuthorizationToken']],
  'eks update-kubeconfig': [['eks', 'DescribeCluster']],
  'eks get-token': [],
  'rds generate-db-auth-token': [],
  'logs tail': [['logs', 'FilterLogEvents']],
  'cloudformation deploy': [['cloudformation', 'CreateChangeSet'], ['cloudformation', 'ExecuteChangeSet']],
  'cloudformation package': [['s3', 'PutObject']],
};

/** Commands that make no API call at all. */
const LOCAL_SERVICES = new Set(['configure', 'help', 'history', 'cli-dev']);

function action(cliService: string, operation: string): ParsedAwsAction {
  const names = serviceNames(cliService);
  return {
    service: names.iamPrefix,
    operation,
    iam_action: iamAction(names.iamPrefix, operation),
    event_source: names.eventSource,
    read_only: isReadOnlyOperation(operation),
  };
}

function parseCommand(words: string[]): ParsedAwsAction[] {
  let at = 0;
  while (at < words.length && !isAwsWord(words[at] as string)) {
    if (!isLeadIn(words[at] as string)) return [];
    at++;
  }
  if (at >= words.length) return [];
  const s = skipGlobalOptions(words, at + 1);
  const cliService = words[s];
  if (!cliService || !/^[a-z][a-z0-9-]*$/.test(cliService) || LOCAL_SERVICES.has(cliService)) return [];
  const o = skipGlobalOptions(words, s + 1);
  const cliOperation = words[o];
  if (!cliOperation || !/^[a-z][a-z0-9-]*$/.test(cliOperation) || cliOperation === 'help' || cliOperation === 'wait') return [];
  const args = words.slice(o + 1);
  // `... help` and `--generate-cli-skeleton` print text and call nothing.
  if (args[0] === 'help' || args.includes('--generate-cli-skeleton')) return [];

  if (cliService === 's3') return s3HighLevelOperations(cliOperation, args).map((op) => action('s3', op));
  const custom = CUSTOMIZATIONS[`${cliService} ${cliOperation}`];
  if (custom) return custom.map(([svc, op]) => action(svc, op));
  return [action(cliService, operationName(cliService, cliOperation))];
}

/**
 * The AWS API calls a journal line records, e.g. "14:02 ran: aws ec2 terminate-instances
 * --instance-ids i-0abc" -> ec2:TerminateInstances. Lines that run something else (kubectl,
 * terraform, "applied file.yaml") give [] and stay free text.
 */
export function parseAwsCliLine(text: string): ParsedAwsAction[] {
  return splitCommands(text).flatMap(parseCommand);
}
