import type { AwsCommand } from './parse-cli-line';

/**
 * Options whose values name the resource a call acts on: `--instance-ids i-1 i-2`, `--role-name`,
 * `--policy-arn`, `--bucket`, `--db-cluster-identifier`, `--secret-id`, `--function-name`...
 * CloudTrail records the same values in requestParameters, so a declaration can be held to the
 * resources it names. Options that carry documents or filters (`--filters`, `--policy-document`)
 * do not name a resource and are not read.
 */
const RESOURCE_OPTION = /^--(?:[a-z0-9-]+-)?(?:ids?|names?|arns?|identifiers?|bucket|key)$/;
const NOT_RESOURCE = new Set(['--key-name-prefix', '--output-name', '--query-name', '--profile', '--region']);

/** Values a shell would expand cannot be compared with what CloudTrail recorded. */
const unresolved = (v: string) =>
  v.includes('$') || v.includes('`') || v.startsWith('file://') || v.startsWith('fileb://');

/** `s3://bucket/key` -> bucket (the object key is only in data events). */
const s3Bucket = (v: string) => /^s3:\/\/([^/]+)/.exec(v)?.[1];

export function declaredResources(cmd: AwsCommand): string[] {
  const out: string[] = [];
  const add = (v: string) => {
    if (v.length > 0 && !unresolved(v) && !out.includes(v)) out.push(v);
  };
  const a = cmd.args;
  if (cmd.cliService === 's3') {
    for (const w of a) {
      const b = s3Bucket(w);
      if (b) add(b);
    }
    return out;
  }
  for (let i = 0; i < a.length; i++) {
    let w = a[i] as string;
    let inline: string | undefined;
    const eq = w.indexOf('=');
    if (w.startsWith('--') && eq > 0) {
      inline = w.slice(eq + 1);
      w = w.slice(0, eq);
    }
    if (!w.startsWith('--') || NOT_RESOURCE.has(w) || !RESOURCE_OPTION.test(w)) continue;
    if (inline !== undefined) {
      add(inline);
      continue;
    }
    // A list option takes every word up to the next option.
    while (i + 1 < a.length && !(a[i + 1] as string).startsWith('--')) add(a[++i] as string);
  }
  return out;
}
