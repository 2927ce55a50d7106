import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import { DatabaseOpenError } from './database-open-error';
import { LATEST_SCHEMA_VERSION } from './migrations/index';
import { assertIsBreakglassJournal, assertLooksLikeSqlite, damagedJournalError } from './open-database';
import { isDamageMessage } from './sqlite-failure';

/** How often a journal that a writer keeps changing under the read is read again before "busy". */
const READ_ATTEMPTS = 3;

/** Byte 18 and 19 of an SQLite header: 1 for a rollback journal, 2 for WAL. */
const WAL_VERSION = 2;
const LEGACY_VERSION = 1;

/**
 * The journal for a command that only reads (review, export --no-seal, key list, key
 * export-trust, audit-diff): nothing in the data directory is created, written or deleted, no
 * migration runs, and a read-only folder or file works.
 *
 * SQLite shares a WAL database with a reader only through its -wal and -shm files: a read-only
 * connection creates them when they are missing and leaves them behind (or, in a read-only
 * folder, fails). better-sqlite3 is built without URI filenames, so `immutable=1` is not there
 * to say "no other process". Hence two ways in:
 * - The -wal file exists: a process has the journal open (the app), or one stopped without
 *   closing it, and committed entries may be in the -wal only. A read-only connection shares it
 *   the way SQLite shares it with any reader: the writer goes on, the reader sees the last
 *   commit. (Only if the -shm alone is missing does SQLite make it again: its index of the -wal.)
 * - Otherwise the file is the whole journal. It is read into memory at once and opened there,
 *   never from the disk again. A writer that starts meanwhile makes the -wal (then it is shared
 *   as above), and a checkpoint changes the file's size or times (then it is read again); after
 *   READ_ATTEMPTS the answer is "busy" (SQLITE_BUSY: exit 75 in the CLI). The memory is the
 *   file's size, once: journals are small (a ceremony is ~100 entries, a few hundred kB).
 */
export function openDatabaseReadOnly(file: string): Database.Database {
  // No mkdir, no creation marker: a missing file is the caller's "no journal here" line.
  if (!existsSync(file)) throw new DatabaseOpenError(`There is no journal at ${file}; nothing was created.`);
  assertLooksLikeSqlite(file, false);
  let db: Database.Database;
  try {
    db = openSharedOrCopy(file);
  } catch (error) {
    if (error instanceof DatabaseOpenError || (error as { code?: unknown }).code === 'SQLITE_BUSY') throw error;
    if (error instanceof Error && isDamageMessage(error.message)) throw damagedJournalError(file, error);
    throw error;
  }
  try {
    db.pragma('busy_timeout = 5000');
    const schemaObjects = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
    assertIsBreakglassJournal(db, file, schemaObjects);
    assertCurrentSchema(db, file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseOpenError) throw error;
    if (error instanceof Error && isDamageMessage(error.message)) throw damagedJournalError(file, error);
    throw error;
  }
}

/**
 * The -wal shared when there is one; otherwise the file read in one go while no process has it
 * open, the read checked, not trusted. A writer that starts meanwhile leaves its -wal: then share.
 */
function openSharedOrCopy(file: string): Database.Database {
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    if (existsSync(`${file}-wal`)) return new Database(file, { readonly: true, fileMustExist: true });
    const before = statSync(file, { bigint: true });
    const bytes = readFileSync(file);
    const after = statSync(file, { bigint: true });
    if (!sameFile(before, after) || bytes.length !== Number(after.size) || existsSync(`${file}-wal`)) continue;
    // In memory there is no -wal to share: the copy says "rollback journal" (the file keeps its bytes).
    if (bytes.length >= 20 && bytes[18] === WAL_VERSION && bytes[19] === WAL_VERSION)
      bytes[18] = bytes[19] = LEGACY_VERSION;
    return new Database(bytes, { readonly: true });
  }
  const busy = new Error(
    `the journal at ${file} kept changing while it was read (another process is writing to it)`,
  ) as Error & { code: string };
  busy.code = 'SQLITE_BUSY';
  throw busy;
}

function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** A reading command never migrates: an older journal is refused, saying how to upgrade it. */
function assertCurrentSchema(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0)
    throw new DatabaseOpenError(
      `${file} is an SQLite database with no journal in it yet (nothing was ever recorded there); nothing was changed.`,
    );
  if (version < LATEST_SCHEMA_VERSION) {
    throw new DatabaseOpenError(
      `The journal at ${file} has schema version ${version}, older than this version's ${LATEST_SCHEMA_VERSION}, and a command that only reads does not upgrade it: open it once with the Breakglass app (in a writable folder), then try again; nothing was changed.`,
    );
  }
}
