import type { ParsedAwsAction } from './parsed-aws-action';
import { s3HighLevelOperations } from './s3-high-level';
import { cloudTrailOperation } from './event-names';
import { iamAction, isReadOnlyOperation, operationName, serviceNames } from './service-names';
import { splitCommands } from './shell-words';

export type { ParsedAwsAction } from './parsed-aws-action';
export { detectAntiPatterns } from './anti-patterns';

/** Global options that take a value, so the word after them is not the service. */
const GLOBAL_WITH_VALUE = new Set([
  '--region',
  '--profile',
  '--output',
  '--endpoint-url',
  '--query',
  '--color',
  '--ca-bundle',
  '--cli-read-timeout',
  '--cli-connect-timeout',
  '--cli-binary-format',
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
    /^[$#>*\u2022-]$/.test(word) || // $ # > * bullet -; \u escape keeps the verify bundle ASCII (code-cache.test.ts)
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
  'cloudformation deploy': [
    ['cloudformation', 'CreateChangeSet'],
    ['cloudformation', 'ExecuteChangeSet'],
  ],
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

/** One `aws` command of a line: the calls it makes and the words they were made with. */
export interface AwsCommand {
  actions: ParsedAwsAction[];
  cliService: string;
  cliOperation: string;
  /** The words after the operation (options and their values). */
  args: string[];
  /** `--region` given on the line, if any (otherwise the profile's region, unknown here). */
  region?: string;
}

function regionOf(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--region') return words[i + 1];
    if (w.startsWith('--region=')) return w.slice('--region='.length);
  }
  return undefined;
}

function parseCommand(words: string[]): ParsedAwsAction[] {
  return parseOneCommand(words)?.actions ?? [];
}

function parseOneCommand(words: string[]): AwsCommand | undefined {
  let at = 0;
  while (at < words.length && !isAwsWord(words[at] as string)) {
    if (!isLeadIn(words[at] as string)) return undefined;
    at++;
  }
  if (at >= words.length) return undefined;
  const s = skipGlobalOptions(words, at + 1);
  const cliService = words[s];
  if (!cliService || !/^[a-z][a-z0-9-]*$/.test(cliService) || LOCAL_SERVICES.has(cliService)) return undefined;
  const o = skipGlobalOptions(words, s + 1);
  const cliOperation = words[o];
  if (!cliOperation || !/^[a-z][a-z0-9-]*$/.test(cliOperation) || cliOperation === 'help' || cliOperation === 'wait')
    return undefined;
  const args = words.slice(o + 1);
  // `... help` and `--generate-cli-skeleton` print text and call nothing.
  if (args[0] === 'help' || args.includes('--generate-cli-skeleton')) return undefined;

  const cmd: AwsCommand = { actions: [], cliService, cliOperation, args };
  const region = regionOf(words.slice(at + 1));
  if (region) cmd.region = region;
  const custom = CUSTOMIZATIONS[`${cliService} ${cliOperation}`];
  if (cliService === 's3') cmd.actions = s3HighLevelOperations(cliOperation, args).map((op) => action('s3', op));
  else if (custom) cmd.actions = custom.map(([svc, op]) => action(svc, op));
  else cmd.actions = [action(cliService, cloudTrailOperation(cliService, operationName(cliService, cliOperation)))];
  return cmd;
}

/** Every `aws` command of a line with its words, for matching against CloudTrail (reconcile). */
export function parseAwsCommands(text: string): AwsCommand[] {
  return splitCommands(text).flatMap((w) => {
    const c = parseOneCommand(w);
    return c ? [c] : [];
  });
}

/**
 * The AWS API calls a journal line records, e.g. "14:02 ran: aws ec2 terminate-instances
 * --instance-ids i-0abc" -> ec2:TerminateInstances. Lines that run something else (kubectl,
 * terraform, "applied file.yaml") give [] and stay free text.
 */
export function parseAwsCliLine(text: string): ParsedAwsAction[] {
  return splitCommands(text).flatMap(parseCommand);
}
