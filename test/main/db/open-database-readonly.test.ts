import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE, DatabaseOpenError, openDatabase } from '../../../src-main/db/open-database';
import { openDatabaseReadOnly } from '../../../src-main/db/open-database-readonly';
import { LATEST_SCHEMA_VERSION } from '../../../src-main/db/migrations/index';
import { JournalError, openJournal } from '../../../src-main/journal/journal';
import { useTempDir } from '../../support/temp-dir';

/** Everything in a directory, byte for byte. */
const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]),
  );

function refusal(file: string): Error {
  try {
    openDatabaseReadOnly(file).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${file} was opened`);
}

describe('openDatabaseReadOnly', () => {
  const tempDir = useTempDir();

  it('reads a closed journal without creating its -wal or -shm, and a journal opened so refuses to append', () => {
    const dataDir = tempDir();
    const writer = openJournal({ dataDir });
    writer.append('bg-20261121-read', 'note', { text: 'one' });
    writer.close();
    const before = snapshot(dataDir);

    const reader = openJournal({ dataDir, readonly: true });
    expect(reader.entries('bg-20261121-read').map((e) => e.payload)).toEqual([{ text: 'one' }]);
    expect(reader.verify('bg-20261121-read')).toMatchObject({ ok: true, count: 1 });
    expect(() => reader.append('bg-20261121-read', 'note', { text: 'two' })).toThrow(JournalError);
    expect(() => reader.append('bg-20261121-read', 'note', { text: 'two' })).toThrow(/opened read-only/);
    reader.close();
    expect(snapshot(dataDir)).toEqual(before);
  });

  it('shares the -wal of a journal another connection has open, and sees its commits', () => {
    const dataDir = tempDir();
    const writer = openJournal({ dataDir });
    writer.append('bg-20261121-share', 'note', { text: 'one' });
    expect(existsSync(path.join(dataDir, `${DATABASE_FILE}-wal`))).toBe(true);
    const reader = openJournal({ dataDir, readonly: true });
    writer.append('bg-20261121-share', 'note', { text: 'two' });
    expect(reader.entries('bg-20261121-share')).toHaveLength(2);
    reader.close();
    writer.close();
  });

  it('never migrates: an older journal is refused, saying how to upgrade it, and keeps every byte', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    openDatabase(file, { migrateTo: 50 }).close();
    const before = snapshot(dir);
    const error = refusal(file);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect(error.message).toBe(
      `The journal at ${file} has schema version 50, older than this version's ${LATEST_SCHEMA_VERSION}, and a command that only reads does not upgrade it: open it once with the Breakglass app (in a writable folder), then try again; nothing was changed.`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses an SQLite file with no journal in it, and a missing file, creating nothing', () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    const empty = new Database(file);
    empty.pragma('journal_mode = WAL');
    empty.close();
    const before = snapshot(dir);
    expect(refusal(file).message).toBe(
      `${file} is an SQLite database with no journal in it yet (nothing was ever recorded there); nothing was changed.`,
    );
    expect(snapshot(dir)).toEqual(before);

    const missing = path.join(dir, 'nowhere', DATABASE_FILE);
    expect(refusal(missing)).toBeInstanceOf(DatabaseOpenError);
    expect(existsSync(path.dirname(missing))).toBe(false);
  });
});
