import type { Database } from 'better-sqlite3';

/** Public halves of the operators' enrolled FIDO credentials (never a secret). */
export default function createEnrolledKeys(db: Database): void {
  db.exec(`
    CREATE TABLE enrolled_keys (
      credential_id TEXT PRIMARY KEY,
      operator TEXT NOT NULL,
      label TEXT NOT NULL CHECK (label IN ('primary', 'backup')),
      rp_id TEXT NOT NULL,
      cose_public_key TEXT NOT NULL,
      aaguid TEXT NOT NULL,
      fmt TEXT NOT NULL,
      att_stmt TEXT,
      enrolment_authenticator_data TEXT,
      enrolment_client_data_hash TEXT,
      enrolled_at TEXT NOT NULL,
      -- 1 for the virtual drill key: drills in the same data directory (so they count for the
      -- quarterly review) must not take the primary or backup slot of the real keys.
      drill INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1)),
      UNIQUE (operator, label, drill)
    );
    CREATE TRIGGER enrolled_keys_no_update BEFORE UPDATE ON enrolled_keys
      BEGIN SELECT RAISE(ABORT, 'enrolled keys cannot be edited; enrol a new key instead'); END;
  `);
}
