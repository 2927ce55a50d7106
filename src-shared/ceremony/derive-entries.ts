import type { JournalEntry } from '../journal/types';
import { plainActionLogged } from './action-logged-payload';
import { isEntryKind, parseEntryPayload, type EntryKind, type EntryPayload } from './entry-kinds';
import type { ActionView } from './state-types';

export type Valid<K extends EntryKind> = { seq: number; at: string; payload: EntryPayload<K> };

/** A running-log entry whose payload is the validated one itself: the entry is its own view. */
const asView = (entry: JournalEntry) => entry as unknown as ActionView;

/**
 * Every entry after seq 0 validated once; an entry that does not fit its schema is reported in
 * `problems`, not used. Grouped by kind as it goes: a long ceremony has 100,000 running-log lines
 * and a dozen kinds are asked for. Running-log lines go straight to their view: the entry itself
 * when its payload is taken as recorded, so nothing is made per line (a view object for each of
 * 100,000 lines was ~9 MB for the collector in every verify).
 *
 * `plainLines[i] === 1` says the caller has already found entries[i] to be a running-log line
 * whose payload plainActionLogged accepts (history-rules.ts reads every entry once for all its
 * rules): it is not checked again.
 *
 * `bySeq`: the entries the derivation looks up by seq, not by index (the rules replay derives
 * over a shortened list, history-rules.ts). Only locks are looked up (the entry before a seal, a
 * lock's own hash); the last entry of a seq wins, as in a map of all.
 */
export function validEntries(entries: readonly JournalEntry[], problems: string[], plainLines?: Uint8Array) {
  const byKind = new Map<EntryKind, Array<Valid<EntryKind>>>();
  const actions: ActionView[] = [];
  const bySeq = new Map<number, JournalEntry>();
  // Every key of bySeq is the seq of a lock: a number outside the range of those that are numbers
  // is not a key (a seq of another type, or NaN, is looked up), so a running-log line after the
  // locks costs no lookup.
  let lowLock = Infinity;
  let highLock = -Infinity;
  const unseen = (seq: number) => typeof seq === 'number' && (seq < lowLock || seq > highLock);
  // Seq 0 is the ceremony_started, and the map is still empty: nothing to note.
  for (let i = 1; i < entries.length; i++) {
    const entry = entries[i]!;
    const seq = entry.seq;
    if (plainLines !== undefined && plainLines[i] === 1) {
      actions.push(asView(entry));
      if (!unseen(seq) && bySeq.has(seq)) bySeq.set(seq, entry);
      continue;
    }
    if (entry.kind === 'step_locked') {
      bySeq.set(seq, entry);
      if (typeof seq === 'number' && seq < lowLock) lowLock = seq;
      if (typeof seq === 'number' && seq > highLock) highLock = seq;
    } else if (!unseen(seq) && bySeq.has(seq)) bySeq.set(seq, entry);

    const quick = entry.kind === 'action_logged' ? plainActionLogged(entry.payload) : undefined;
    if (quick) {
      actions.push(asView(entry));
      continue;
    }
    if (!isEntryKind(entry.kind)) {
      problems.push(`seq ${seq}: unknown entry kind "${entry.kind}"`);
      continue;
    }
    const parsed = parseEntryPayload(entry.kind, entry.payload);
    if (!parsed.ok) {
      problems.push(`seq ${seq}: ${parsed.message}`);
      continue;
    }
    if (entry.kind === 'action_logged') {
      actions.push({ seq, payload: parsed.value as EntryPayload<'action_logged'> });
      continue;
    }
    let list = byKind.get(entry.kind);
    if (!list) byKind.set(entry.kind, (list = []));
    list.push({ seq, at: entry.recorded_at, payload: parsed.value });
  }
  const all = <K extends EntryKind>(kind: K): ReadonlyArray<Valid<K>> =>
    (byKind.get(kind) ?? []) as unknown as Array<Valid<K>>;
  return { all, actions, bySeq };
}
