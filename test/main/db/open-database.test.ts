import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, DatabaseOpenError, openDatabase } from '../../../src-main/db/open-database';
import { DatabaseFromTheFutureError, LATEST_SCHEMA_VERSION } from '../../../src-main/db/migrations/index';
import { useTempDir } from '../../support/temp-dir';

/** Everything in a directory, byte for byte. */
const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]),
  );
const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];

/** What openDatabase threw, for checking its class and exact message. */
function refusal(file: string): Error {
  try {
    openDatabase(file).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${file} was opened`);
}

describe('openDatabase', () => {
  const tempDir = useTempDir();

  it('creates and migrates a new journal where there is no file, and leaves nothing else behind', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).toContain('entries');
    db.close();
    expect(readdirSync(dir)).toEqual([DATABASE_FILE]);
  });

  it('refuses an existing 0-byte journal (evidence truncated) and leaves the directory as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    writeFileSync(file, '');
    const before = snapshot(dir);
    const error = refusal(file);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe(
      `${file} is empty: the journal may have been truncated; restore it from a backup, or delete it if this is a new installation. Nothing was changed.`,
    );
    expect(snapshot(dir)).toEqual(before);
    expect(statSync(file).size).toBe(0);
  });

  it('finishes creating a journal whose creation was interrupted before SQLite wrote its first page', () => {
    // What a crash leaves between SQLite creating the file and writing page 1: the marker written
    // before creating it, and an empty file. That is our own unfinished file, not lost evidence.
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    writeFileSync(`${file}.creating`, '');
    writeFileSync(file, '');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
    expect(readdirSync(dir)).toEqual([DATABASE_FILE]);
    // From then on an emptied file is refused again.
    writeFileSync(file, '');
    expect(refusal(file).message).toMatch(/is empty: the journal may have been truncated/);
  });

  it('drops a creation marker left beside a journal that got its first page', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    openDatabase(file).close();
    writeFileSync(`${file}.creating`, '');
    openDatabase(file).close();
    expect(readdirSync(dir)).toEqual([DATABASE_FILE]);
  });

  it('migrates a brand-new empty SQLite database (user_version 0, no tables)', () => {
    const file = path.join(tempDir(), DATABASE_FILE);
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL'); // writes page 1: a real, empty database
    raw.close();
    expect(statSync(file).size).toBeGreaterThan(0);
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).toContain('entries');
    db.close();
  });

  it.each([
    ['rollback-journal mode', false],
    ['WAL mode', true],
  ])("refuses another program's SQLite database (%s) without adding a table or changing a byte", (_mode, wal) => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.sqlite3');
    const raw = new Database(file);
    if (wal) raw.pragma('journal_mode = WAL');
    raw.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('buy milk')");
    raw.close();
    const before = snapshot(dir);
    const error = refusal(file);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe(
      `${file} is a SQLite database but not a Breakglass journal (it holds tables Breakglass did not create); nothing was changed.`,
    );
    expect(snapshot(dir)).toEqual(before);
    const after = new Database(file, { readonly: true });
    expect(tables(after)).toEqual(['notes']);
    after.close();
  });

  it.each([1, 7, 15, -3])(
    "refuses a database at a schema version Breakglass never writes (%i): another program's",
    (version) => {
      const dir = tempDir();
      const file = path.join(dir, 'other.sqlite3');
      const raw = new Database(file);
      raw.exec('CREATE TABLE settings (k, v)');
      raw.pragma(`user_version = ${version}`);
      raw.close();
      const before = snapshot(dir);
      const error = refusal(file);
      expect(error).toBeInstanceOf(DatabaseOpenError);
      expect(error.message).toBe(
        `${file} is a SQLite database but not a Breakglass journal (schema version ${version} was never written by Breakglass); nothing was changed.`,
      );
      expect(snapshot(dir)).toEqual(before);
    },
  );

  it("refuses a newer version's database before switching it to WAL: not a byte changes, and it is a DatabaseOpenError", () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    const raw = new Database(file); // rollback-journal mode: the WAL switch would rewrite its header
    raw.exec('CREATE TABLE from_the_future (x)');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.close();
    const before = snapshot(dir);
    const error = refusal(file);
    expect(error).toBeInstanceOf(DatabaseFromTheFutureError);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a journal missing its last page (at a page boundary) as damaged, leaving it as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    const db = openDatabase(file);
    db.exec('CREATE TABLE padding (x)');
    const insert = db.prepare('INSERT INTO padding VALUES (?)');
    for (let i = 0; i < 50; i++) insert.run('x'.repeat(1000));
    db.close();
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4096));
    const before = snapshot(dir);
    const error = refusal(file);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toMatch(
      /^The journal at .+ is damaged or not a Breakglass journal \(.+\)\. Nothing was changed\.$/,
    );
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
