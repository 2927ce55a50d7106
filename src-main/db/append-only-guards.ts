import type { Database } from 'better-sqlite3';

/**
 * The triggers that make the journal append-only, as the migrations leave them (a test keeps
 * this list equal to what a freshly migrated database holds). Someone with the file can drop
 * them; the hash chain then still shows what they changed, and opening the journal puts the
 * guards back so nothing further slips in. The names restored are reported, never hidden.
 */
export const APPEND_ONLY_GUARDS: Readonly<Record<string, string>> = {
  checkpoints_no_delete:
    "CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: DELETE refused'); END",
  checkpoints_no_update:
    "CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only: UPDATE refused'); END",
  enrolled_keys_no_update:
    "CREATE TRIGGER enrolled_keys_no_update BEFORE UPDATE ON enrolled_keys BEGIN SELECT RAISE(ABORT, 'enrolled keys cannot be edited; enrol a new key instead'); END",
  entries_gapless:
    "CREATE TRIGGER entries_gapless BEFORE INSERT ON entries WHEN NEW.seq <> COALESCE((SELECT seq FROM heads WHERE ceremony_id = NEW.ceremony_id), -1) + 1 OR NEW.prev_hash <> COALESCE( (SELECT hash FROM heads WHERE ceremony_id = NEW.ceremony_id), '0000000000000000000000000000000000000000000000000000000000000000') BEGIN SELECT RAISE(ABORT, 'journal append refused: seq must follow the head and prev_hash must be its hash'); END",
  entries_no_delete:
    "CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'journal entries are append-only: DELETE refused'); END",
  entries_no_update:
    "CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'journal entries are append-only: UPDATE refused'); END",
  heads_forward_only:
    "CREATE TRIGGER heads_forward_only BEFORE UPDATE ON heads WHEN NEW.seq <> OLD.seq + 1 BEGIN SELECT RAISE(ABORT, 'the journal head only moves forward, one entry at a time'); END",
  heads_no_delete:
    "CREATE TRIGGER heads_no_delete BEFORE DELETE ON heads BEGIN SELECT RAISE(ABORT, 'journal heads cannot be deleted'); END",
};

/** Recreates any guard that is missing; returns the names it had to restore (usually none). */
export function restoreAppendOnlyGuards(db: Database): string[] {
  const present = new Set(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[],
  );
  const missing = Object.keys(APPEND_ONLY_GUARDS).filter((name) => !present.has(name));
  if (missing.length > 0) db.transaction(() => missing.forEach((name) => db.exec(APPEND_ONLY_GUARDS[name]!)))();
  return missing;
}
