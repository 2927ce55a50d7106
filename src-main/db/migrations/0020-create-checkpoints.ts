import type { Database } from 'better-sqlite3';

/** Key-signed journal heads: one row per tap that locked a ceremony step. */
export default function createCheckpoints(db: Database): void {
  db.exec(`
    CREATE TABLE checkpoints (
      ceremony_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      head_hash TEXT NOT NULL,
      step TEXT NOT NULL,
      client_data_hash TEXT NOT NULL,
      credential_id TEXT NOT NULL,
      authenticator_data TEXT NOT NULL,
      signature TEXT NOT NULL,
      sign_count INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (ceremony_id, seq),
      FOREIGN KEY (ceremony_id, seq) REFERENCES entries (ceremony_id, seq)
    );
    CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
      BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: UPDATE refused'); END;
    CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
      BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: DELETE refused'); END;
  `);
}
