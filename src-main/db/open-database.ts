import { describeWriteFailure, fsyncDirectory } from '../fs/durable-write';
import Database from 'better-sqlite3';
import {
  accessSync,
  constants,
  mkdirSync,
  existsSync,
  openSync,
  readSync,
  closeSync,
  statSync,
  fsyncSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { DatabaseOpenError, JournalFolderWriteError } from './database-open-error';
import { isDamageMessage } from './sqlite-failure';
import { DatabaseFromTheFutureError, LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from './migrations/index';

export const DATABASE_FILE = 'journal.sqlite3';

export { DatabaseOpenError };

/**
 * Opens (creating if needed) the journal database with the durability the journal promises:
 * WAL + synchronous=FULL, so a commit that returned survives a crash or power loss.
 *
 * A file that is not a usable Breakglass journal (damaged, cut short, empty, another program's
 * database, a newer version's) is refused with a DatabaseOpenError before anything is written to it.
 * Commands that only read use openDatabaseReadOnly (open-database-readonly.ts) instead.
 */
export function openDatabase(file: string, options: { migrateTo?: number } = {}): Database.Database {
  let marker: string | null = null;
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true });
    assertWritableFolder(path.dirname(file));
    marker = creationMarker(file);
    assertLooksLikeSqlite(file, marker !== null);
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open the journal at ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Reading the schema forces SQLite to read page 1: a damaged file fails here, clearly. Every
    // check comes before the first write (the switch to WAL rewrites the header of a file in
    // rollback-journal mode), so a refused file keeps every byte.
    const schemaObjects = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
    assertIsBreakglassJournal(db, file, schemaObjects);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // The first page is on disk: the new file is no longer an empty one.
    if (marker) rmSync(marker, { force: true });
    migrate(db, options.migrateTo);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseOpenError) throw error;
    if (error instanceof Error && isDamageMessage(error.message)) throw damagedJournalError(file, error);
    throw error;
  }
}

/**
 * A folder the journal cannot be written in (read-only file system, no permission) is said so
 * up front: SQLite would only say "unable to open database file", or open it read-only and fail
 * at the first write.
 */
function assertWritableFolder(dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
    const { cause, todo } = describeWriteFailure(code);
    throw new JournalFolderWriteError(
      dir,
      code,
      `the journal's folder cannot be written: ${cause} (${code}); nothing already recorded was lost; ${todo}`,
    );
  }
}

/**
 * A journal file that SQLite has just created is empty until its first page is written, a moment
 * later. A marker written before creating it tells an empty file left by a crash in that moment
 * (finish creating it) from an existing journal that was emptied (refuse it). Returns the marker's
 * path when this open creates, or finishes creating, the journal.
 */
function creationMarker(file: string): string | null {
  const marker = `${file}.creating`;
  if (!existsSync(file)) {
    const fd = openSync(marker, 'w');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncDirectory(path.dirname(file));
    return marker;
  }
  if (!existsSync(marker)) return null;
  if (statSync(file).size === 0) return marker;
  // Left by a creation that got as far as writing the first page: its work is done.
  rmSync(marker, { force: true });
  return null;
}

/** Refuses files that are clearly not SQLite (or cut short, or emptied) before better-sqlite3 touches them. */
export function assertLooksLikeSqlite(file: string, creating: boolean): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) {
    if (creating) return;
    // A new installation has no file at all; an existing journal of 0 bytes lost its evidence.
    throw new DatabaseOpenError(
      `${file} is empty: the journal may have been truncated; restore it from a backup, or delete it if this is a new installation. Nothing was changed.`,
    );
  }
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') {
    throw new DatabaseOpenError(`${file} is not a Breakglass journal (not an SQLite database). Nothing was changed.`);
  }
  // An SQLite file is a whole number of pages; anything else was cut short (a partial copy, a
  // full disk). SQLite would open it and fail later, or read garbage from the torn page.
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || size % pageSize !== 0) {
    throw new DatabaseOpenError(
      `The journal at ${file} is damaged: ${size} bytes is not a whole number of ${pageSize}-byte pages, so it was cut short. Restore it from a copy; nothing was changed.`,
    );
  }
}

/**
 * Breakglass records its schema version in user_version, in the same transaction as the tables
 * it creates. So a database at version 0 that already holds tables belongs to another program,
 * and so does one at a version no Breakglass release writes: migrating either would add the
 * journal's tables to someone else's file. A database with no tables at version 0 is a new one.
 */
export function assertIsBreakglassJournal(db: Database.Database, file: string, schemaObjects: number): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_SCHEMA_VERSION) throw new DatabaseFromTheFutureError(version, LATEST_SCHEMA_VERSION);
  if (version === 0 && schemaObjects > 0) {
    throw new DatabaseOpenError(
      `${file} is a SQLite database but not a Breakglass journal (it holds tables Breakglass did not create); nothing was changed.`,
    );
  }
  if (version !== 0 && !MIGRATIONS.some((m) => m.version === version)) {
    throw new DatabaseOpenError(
      `${file} is a SQLite database but not a Breakglass journal (schema version ${version} was never written by Breakglass); nothing was changed.`,
    );
  }
}

export function damagedJournalError(file: string, error: Error): DatabaseOpenError {
  return new DatabaseOpenError(
    `The journal at ${file} is damaged or not a Breakglass journal (${error.message}). Nothing was changed.`,
  );
}
