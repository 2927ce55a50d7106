import type { Database } from 'better-sqlite3';

/**
 * Rebuilds `entries` without AUTOINCREMENT, keeping every row and its id (the sync cursor).
 *
 * AUTOINCREMENT made every append write a fourth page (the sqlite_sequence row) and so a fourth
 * WAL frame before the fsync: about 4% of a durable append. What it guarded against, an id being
 * reused after the last row is deleted, cannot happen through the app: the triggers refuse
 * DELETE, and removing them to cut rows off the end is what the heads record and the signed
 * checkpoints expose. Ids stay an INTEGER PRIMARY KEY (the rowid), so insertion order still
 * survives VACUUM. The triggers are recreated exactly as migration 0010 wrote them.
 *
 * Runs with foreign keys off (see migrate): checkpoints reference entries, and this is SQLite's
 * documented table-rebuild procedure.
 */
export default function entriesWithoutAutoincrement(db: Database): void {
  db.exec(`
    CREATE TABLE entries_rebuilt (
      -- An INTEGER PRIMARY KEY aliases rowid, so the insertion order the sync cursor follows
      -- survives VACUUM. Rows are never deleted (trigger below), so ids are never reused.
      id INTEGER PRIMARY KEY,
      ceremony_id TEXT NOT NULL,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      kind TEXT NOT NULL CHECK (length(kind) > 0),
      payload TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
      hash TEXT NOT NULL CHECK (length(hash) = 64),
      UNIQUE (ceremony_id, seq)
    );
    INSERT INTO entries_rebuilt (id, ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash)
      SELECT id, ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash FROM entries ORDER BY id;
    DROP TABLE entries;
    ALTER TABLE entries_rebuilt RENAME TO entries;
    DELETE FROM sqlite_sequence WHERE name IN ('entries', 'entries_rebuilt');
    CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
      BEGIN SELECT RAISE(ABORT, 'journal entries are append-only: UPDATE refused'); END;
    CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
      BEGIN SELECT RAISE(ABORT, 'journal entries are append-only: DELETE refused'); END;
    CREATE TRIGGER entries_gapless BEFORE INSERT ON entries
      WHEN NEW.seq <> COALESCE((SELECT seq FROM heads WHERE ceremony_id = NEW.ceremony_id), -1) + 1
        OR NEW.prev_hash <> COALESCE(
             (SELECT hash FROM heads WHERE ceremony_id = NEW.ceremony_id),
             '0000000000000000000000000000000000000000000000000000000000000000')
      BEGIN SELECT RAISE(ABORT, 'journal append refused: seq must follow the head and prev_hash must be its hash'); END;
  `);
}
