import type { JournalEntry } from '../../src-shared/journal/types';

/**
 * Whether the bundle file's plain-line reader could have built this entry, as ReadFacts's
 * plainLogLines describes it (src-shared/ceremony/history-rules.ts): a running-log line whose
 * payload is exactly { logged_at: its recorded_at, parsed: [], text: a string, warnings: [] },
 * with whatever time and text.
 */
export function builtAsTheReaderBuilds(e: JournalEntry): boolean {
  const p = e.payload;
  return (
    e.kind === 'action_logged' &&
    Object.getPrototypeOf(p) === Object.prototype &&
    Object.keys(p).join() === 'logged_at,parsed,text,warnings' &&
    p.logged_at === e.recorded_at &&
    typeof p.text === 'string' &&
    Array.isArray(p.parsed) &&
    p.parsed.length === 0 &&
    Array.isArray(p.warnings) &&
    p.warnings.length === 0
  );
}
