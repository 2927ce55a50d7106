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
      UNIQUE (operator, label)
    );
    CREATE TRIGGER enrolled_keys_no_update BEFORE UPDATE ON enrolled_keys
      BEGIN SELECT RAISE(ABORT, 'enrolled keys cannot be edited; enrol a new key instead'); END;
  `);
}
