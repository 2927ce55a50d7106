import type { Database } from 'better-sqlite3';

export interface SyncCursorState {
  acked_rowid: number;
  last_success_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

export interface SyncCursor {
  read(): SyncCursorState;
  /** Moves the cursor forward to `rowid` (never back) once the server acknowledged up to it. */
  advance(rowid: number, at: string): void;
  recordError(message: string, at: string): void;
  /** Journal entries not yet acknowledged by the server. */
  pendingCount(): number;
}

/**
 * The sync cursor in table sync_state (migration 0040): the last entries.rowid the server
 * acknowledged. Rowids follow insertion order because the journal only ever appends.
 */
export function createSyncCursor(db: Database): SyncCursor {
  const q = {
    read: db.prepare('SELECT acked_rowid, last_success_at, last_error, last_error_at FROM sync_state WHERE id = 1'),
    advance: db.prepare(
      'UPDATE sync_state SET acked_rowid = MAX(acked_rowid, ?), last_success_at = ?, last_error = NULL, last_error_at = NULL WHERE id = 1',
    ),
    recordError: db.prepare('UPDATE sync_state SET last_error = ?, last_error_at = ? WHERE id = 1'),
    ensureRow: db.prepare('INSERT OR IGNORE INTO sync_state (id, acked_rowid) VALUES (1, 0)'),
    // Reads the journal's table directly: a count by rowid range is all the UI needs, and the
    // Journal API has no cheaper way to ask it.
    pending: db.prepare('SELECT COUNT(*) AS n FROM entries WHERE rowid > ?'),
  };

  function read(): SyncCursorState {
    return (
      (q.read.get() as SyncCursorState | undefined) ?? {
        acked_rowid: 0,
        last_success_at: null,
        last_error: null,
        last_error_at: null,
      }
    );
  }

  function write(statement: { run: (...args: unknown[]) => { changes: number } }, ...args: unknown[]): void {
    if (statement.run(...args).changes === 0) {
      q.ensureRow.run();
      statement.run(...args);
    }
  }

  return {
    read,
    advance: (rowid, at) => write(q.advance, rowid, at),
    recordError: (message, at) => write(q.recordError, message, at),
    pendingCount: () => (q.pending.get(read().acked_rowid) as { n: number }).n,
  };
}
