import Database from 'better-sqlite3';
import { mkdirSync, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations/index';

export const DATABASE_FILE = 'journal.sqlite3';

export class DatabaseOpenError extends Error {}

/**
 * Opens (creating if needed) the journal database with the durability the journal promises:
 * WAL + synchronous=FULL, so a commit that returned survives a crash or power loss.
 */
export function openDatabase(file: string, options: { migrateTo?: number; readonly?: boolean } = {}): Database.Database {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true });
    assertLooksLikeSqlite(file);
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open the journal at ${file}: ${(error as Error).message}`);
  }
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Reading the schema forces SQLite to read page 1: a damaged file fails here, clearly.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    if (!options.readonly) migrate(db, options.migrateTo);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof Error && /file is not a database|malformed|disk image/i.test(error.message)) {
      throw new DatabaseOpenError(`The journal at ${file} is damaged or not a Breakglass journal (${error.message}). Nothing was changed.`);
    }
    throw error;
  }
}

/** Refuses files that are clearly not SQLite before better-sqlite3 touches them. */
function assertLooksLikeSqlite(file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
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
  const size = statSync(file).size;
  if (pageSize < 512 || size % pageSize !== 0) {
    throw new DatabaseOpenError(
      `The journal at ${file} is damaged: ${size} bytes is not a whole number of ${pageSize}-byte pages, so it was cut short. Restore it from a copy; nothing was changed.`,
    );
  }
}
