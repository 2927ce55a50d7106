import type { Database } from 'better-sqlite3';

/** The append-only, hash-chained journal and its head record. Triggers refuse UPDATE/DELETE. */
export default function createEntries(db: Database): void {
  db.exec(`
    CREATE TABLE entries (
      -- An INTEGER PRIMARY KEY aliases rowid, so the insertion order the sync cursor follows
      -- survives VACUUM; AUTOINCREMENT never reuses a number.
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      ceremony_id TEXT NOT NULL,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      kind TEXT NOT NULL CHECK (length(kind) > 0),
      payload TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
      hash TEXT NOT NULL CHECK (length(hash) = 64),
      UNIQUE (ceremony_id, seq)
    );
    -- The head of each ceremony, written in the same transaction as every append. A hash chain
    -- alone cannot show that entries were cut from its end; this record (and, stronger, the
    -- key-signed checkpoints and the witness codes read to the founders) can.
    CREATE TABLE heads (
      ceremony_id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE TRIGGER heads_forward_only BEFORE UPDATE ON heads
      WHEN NEW.seq <> OLD.seq + 1
      BEGIN SELECT RAISE(ABORT, 'the journal head only moves forward, one entry at a time'); END;
    CREATE TRIGGER heads_no_delete BEFORE DELETE ON heads
      BEGIN SELECT RAISE(ABORT, 'journal heads cannot be deleted'); END;
    CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
      BEGIN SELECT RAISE(ABORT, 'journal entries are append-only: UPDATE refused'); END;
    CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
      BEGIN SELECT RAISE(ABORT, 'journal entries are append-only: DELETE refused'); END;
    -- Defence in depth: the database itself refuses a gap in seq or a broken link (O(1): via heads).
    CREATE TRIGGER entries_gapless BEFORE INSERT ON entries
      WHEN NEW.seq <> COALESCE((SELECT seq FROM heads WHERE ceremony_id = NEW.ceremony_id), -1) + 1
        OR NEW.prev_hash <> COALESCE(
             (SELECT hash FROM heads WHERE ceremony_id = NEW.ceremony_id),
             '0000000000000000000000000000000000000000000000000000000000000000')
      BEGIN SELECT RAISE(ABORT, 'journal append refused: seq must follow the head and prev_hash must be its hash'); END;
  `);
}
