import type { Database } from 'better-sqlite3';

/** Where the MongoDB sync has got to: the last entries.rowid the server acknowledged. */
export default function createSyncState(db: Database): void {
  db.exec(`
    CREATE TABLE sync_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      acked_rowid INTEGER NOT NULL DEFAULT 0,
      last_success_at TEXT,
      last_error TEXT,
      last_error_at TEXT
    );
    INSERT INTO sync_state (id, acked_rowid) VALUES (1, 0);
  `);
}
