import type { z } from 'zod';

/**
 * Schema problems said the way a person would, at the source: every refusal built from a zod
 * issue carries its field (a dotted argument path) and these words, so no reader downstream has
 * to take a validator's message apart. Messages a schema sets itself ("expected text") win over
 * these, as zod applies a schema's own error before the one passed to a parse.
 */

const TYPE_WORDS: Record<string, string> = {
  string: 'expected text',
  number: 'expected a number',
  int: 'expected a whole number',
  boolean: 'expected yes or no (true or false)',
  array: 'expected a list',
  object: 'expected a group of fields',
};

/** Pass as `schema.safeParse(value, { error: plainWords })`; undefined keeps zod's own message. */
export function plainWords(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'this is required';
      if (issue.expected === 'number' && typeof issue.input === 'number') return 'expected a number';
      return TYPE_WORDS[issue.expected] ?? `expected ${issue.expected}`;
    }
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'this is required'
          : `too short: at least ${String(issue.minimum)} characters`;
      if (issue.origin === 'array') return `at least ${String(issue.minimum)} expected`;
      return `at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `too long: at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `at most ${String(issue.maximum)} allowed`;
      return `at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `expected one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    default:
      return undefined;
  }
}

/** "evidence.idp", "cloudtrail.0": the argument path a form names its fields by. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/**
 * Every issue as field -> words (the first problem per field). Unknown keys are named one by
 * one. `drop` removes leading path segments the form does not know (the IPC argument index).
 */
export function issueFields(issues: readonly z.core.$ZodIssue[], drop = 0): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (path: readonly PropertyKey[], words: string) => {
    const key = dottedPath(path.slice(drop));
    if (key && !(key in out)) out[key] = words;
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys')
      for (const k of issue.keys) put([...issue.path, k], 'this field is not part of the form');
    else put(issue.path, issue.message);
  }
  return out;
}

/** "evidence.last_good_sso_login_at" -> "last good sso login at": a field named in words when no label is at hand. */
export function spokenField(path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .at(-1) ?? path;
  return last.replace(/_/g, ' ');
}

/** One line for a log or a terminal, fields by their argument path: "contact_id: this is required; channel: …". */
export function fieldsInWords(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([path, words]) => `${path}: ${words}`)
    .join('; ');
}
