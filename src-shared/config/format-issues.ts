import type { z } from 'zod';

/** "accounts[1].account_id", the way a person finds the key in their file. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(top level)';
}

/** One line per problem: which key, what was expected (and what was found when it helps). */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${formatPath(issue.path)}: ` : '';
      return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (not part of the configuration; it never holds passwords or MFA codes)`;
    }
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      return `${formatPath(issue.path)}: expected ${issue.expected}`;
    }
    return `${formatPath(issue.path)}: ${issue.message}`;
  });
}
