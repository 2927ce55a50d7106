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
  switch (p.state) {
    case 'not-configured':
      return p.pending > 0 ? `sync not configured (${waiting} locally)` : 'sync not configured';
    case 'idle':
      return p.pending === 0 ? `all entries synced${p.last_success_at ? ` (last ${p.last_success_at})` : ''}` : waiting;
    case 'syncing':
      return `syncing: ${waiting}`;
    case 'offline':
    case 'error':
      return `${waiting}: ${p.last_error ?? 'sync failed'}`;
  }
}
