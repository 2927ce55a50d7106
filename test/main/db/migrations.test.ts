import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/db/open-database';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, DatabaseFromTheFutureError } from '../../../src-main/db/migrations/index';
import { openJournalAt } from '../../../src-main/journal/journal';
import { useTempDir } from '../../support/temp-dir';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('migrations', () => {
  const tempDir = useTempDir();

  it.each(MIGRATIONS.map((m) => [m.version, m.name] as const))('migration %i (%s) applies to an empty database', (version) => {
    const db = new Database(':memory:');
    expect(migrate(db, version)).toBe(version);
    expect(db.pragma('user_version', { simple: true })).toBe(version);
  });

  it.each(MIGRATIONS.slice(1).map((m, i) => [m.version, MIGRATIONS[i]!.version] as const))(
    'migration %i applies on top of a version-%i database that holds data',
    (version, previous) => {
      const file = path.join(tempDir(), 'j.sqlite3');
      const db = openDatabase(file, { migrateTo: previous });
      db.prepare("INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES ('bg-test-1', 0, 'ceremony_started', '{}', '2026-11-21T09:00:00.000Z', ?, ?)").run('0'.repeat(64), 'a'.repeat(64));
      db.close();
      const again = openDatabase(file, { migrateTo: version });
      expect(again.pragma('user_version', { simple: true })).toBe(version);
      expect(again.prepare('SELECT COUNT(*) AS n FROM entries').get()).toEqual({ n: 1 });
      again.close();
    },
  );

  it('creates every table at the latest version', () => {
    const db = openDatabase(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).toEqual(expect.arrayContaining(['entries', 'heads', 'checkpoints', 'enrolled_keys', 'sync_state']));
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const file = path.join(tempDir(), 'future.sqlite3');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    raw.exec('CREATE TABLE from_the_future (x)');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseFromTheFutureError);
    expect(() => openJournalAt(file)).toThrow(/newer version of Breakglass/);
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 10);
    expect(tables(after)).toEqual(['from_the_future']);
    after.close();
  });
});
