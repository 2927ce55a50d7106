/**
 * What the UI shows about the sync. `last_error` is plain words for a person (never a stack
 * trace, never a credential); `next_attempt_at` says when the next try is due after a failure.
 */
export type SyncState = 'not-configured' | 'idle' | 'syncing' | 'offline' | 'error';

export interface SyncProgress {
  state: SyncState;
  /** Journal entries the server has not yet acknowledged. */
  pending: number;
  last_success_at: string | null;
  last_error: string | null;
  next_attempt_at: string | null;
}

/** One line for a status bar: "sync not configured", "3 entries waiting: MongoDB ... is not reachable". */
export function describeProgress(p: SyncProgress): string {
  const waiting = `${p.pending} ${p.pending === 1 ? 'entry' : 'entries'} waiting`;
  const nextTry = p.next_attempt_at ? `; next try ${clockTime(p.next_attempt_at)}` : '';
  switch (p.state) {
    case 'not-configured':
      return p.pending > 0 ? `sync not configured (${waiting} locally)` : 'sync not configured';
    case 'idle':
      if (p.pending > 0) return waiting;
      // "Synced" only once the server has acknowledged something: a dead URI with nothing to
      // send yet must not look like a working sync.
      return p.last_success_at ? `all entries synced (last ${clockTime(p.last_success_at)})` : 'nothing to sync yet';
    case 'syncing':
      // A retry keeps the last failure in view until it succeeds.
      if (p.last_error) return `retrying: ${waiting} (last attempt: ${p.last_error})`;
      return p.pending === 0 ? 'finishing the sync' : `syncing: ${waiting}`;
    case 'offline':
    case 'error':
      return `${waiting}: ${p.last_error ?? 'sync failed'}${nextTry}`;
  }
}

/** Whether a person should look: something is waiting and the last attempt failed, or sync is off. */
export function progressLevel(p: SyncProgress): 'ok' | 'warn' | 'bad' {
  if (p.state === 'offline' || p.state === 'error') return 'bad';
  if (p.state === 'syncing' && p.last_error) return 'warn';
  if (p.state === 'not-configured' && p.pending > 0) return 'warn';
  return 'ok';
}

/** "2026-11-22 09:14:03 UTC": seconds are enough for a person. */
function clockTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
