import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/db/open-database';
import {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  migrate,
  DatabaseFromTheFutureError,
} from '../../../src-main/db/migrations/index';
import { entryHash } from '../../../src-main/journal/entry-hash';
import { openJournalAt } from '../../../src-main/journal/journal';
import { canonicalize } from '../../../src-shared/canonical-json';
import { GENESIS_PREV_HASH } from '../../../src-shared/journal/types';
import { useTempDir } from '../../support/temp-dir';

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

describe('migrations', () => {
  const tempDir = useTempDir();

  it.each(MIGRATIONS.map((m) => [m.version, m.name] as const))(
    'migration %i (%s) applies to an empty database',
    (version) => {
      const db = new Database(':memory:');
      expect(migrate(db, version)).toBe(version);
      expect(db.pragma('user_version', { simple: true })).toBe(version);
    },
  );

  it.each(MIGRATIONS.slice(1).map((m, i) => [m.version, MIGRATIONS[i]!.version] as const))(
    'migration %i applies on top of a version-%i database that holds data',
    (version, previous) => {
      const file = path.join(tempDir(), 'j.sqlite3');
      const db = openDatabase(file, { migrateTo: previous });
      db.prepare(
        "INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES ('bg-test-1', 0, 'ceremony_started', '{}', '2026-11-21T09:00:00.000Z', ?, ?)",
      ).run('0'.repeat(64), 'a'.repeat(64));
      db.close();
      const again = openDatabase(file, { migrateTo: version });
      expect(again.pragma('user_version', { simple: true })).toBe(version);
      expect(again.prepare('SELECT COUNT(*) AS n FROM entries').get()).toEqual({ n: 1 });
      again.close();
    },
  );

  it('migration 50 rebuilds entries without AUTOINCREMENT: same rows and ids, same guards, foreign keys on again', () => {
    const dir = tempDir();
    const file = path.join(dir, 'j.sqlite3');
    // A real version-40 journal: two ceremonies interleaved, so ids and seqs differ.
    const old = openDatabase(file, { migrateTo: 40 });
    const heads = new Map<string, { seq: number; hash: string }>();
    for (let i = 0; i < 5; i++) {
      for (const ceremony_id of ['bg-test-a', 'bg-test-b']) {
        const head = heads.get(ceremony_id);
        const unhashed = {
          ceremony_id,
          seq: head ? head.seq + 1 : 0,
          kind: 'note',
          payload: { i },
          recorded_at: '2026-11-21T09:00:00.000Z',
          prev_hash: head ? head.hash : GENESIS_PREV_HASH,
        };
        const hash = entryHash(unhashed);
        old
          .prepare(
            'INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(ceremony_id, unhashed.seq, 'note', canonicalize({ i }), unhashed.recorded_at, unhashed.prev_hash, hash);
        if (head)
          old.prepare('UPDATE heads SET seq = ?, hash = ? WHERE ceremony_id = ?').run(unhashed.seq, hash, ceremony_id);
        else
          old
            .prepare('INSERT INTO heads (ceremony_id, seq, hash) VALUES (?, ?, ?)')
            .run(ceremony_id, unhashed.seq, hash);
        heads.set(ceremony_id, { seq: unhashed.seq, hash });
      }
    }
    old.close();
    const before = new Database(file);
    expect(before.pragma('user_version', { simple: true })).toBe(40);
    const rowsBefore = before.prepare('SELECT * FROM entries ORDER BY id').all();
    expect(before.prepare("SELECT sql FROM sqlite_master WHERE name = 'entries'").pluck().get()).toMatch(
      /AUTOINCREMENT/,
    );
    before.close();

    const journal = openJournalAt(file); // migrates to the latest version
    const db = journal.db;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'entries'").pluck().get()).not.toMatch(
      /AUTOINCREMENT/,
    );
    expect(db.prepare('SELECT * FROM entries ORDER BY id').all()).toEqual(rowsBefore);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_sequence WHERE name LIKE 'entries%'").pluck().get()).toBe(0);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(journal.verify('bg-test-a')).toMatchObject({ ok: true, count: 5 });
    // The guards came back with the table.
    expect(() => db.prepare("UPDATE entries SET payload = '{}' WHERE seq = 1").run()).toThrow(/UPDATE refused/);
    expect(() => db.prepare('DELETE FROM entries WHERE id = 10').run()).toThrow(/DELETE refused/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES ('bg-test-a', 9, 'note', '{}', '2026-11-21T09:00:00.000Z', ?, ?)",
        )
        .run('0'.repeat(64), 'a'.repeat(64)),
    ).toThrow(/journal append refused/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO checkpoints (ceremony_id, seq, head_hash, step, client_data_hash, credential_id, authenticator_data, signature, sign_count, created_at) VALUES ('bg-test-a', 99, ?, 'x', ?, 'c', 'a', 's', 1, '2026-11-21T09:00:00.000Z')",
        )
        .run('a'.repeat(64), 'b'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
    // New entries continue after the highest id, so the sync cursor sees them.
    const next = journal.append('bg-test-a', 'note', { i: 5 });
    expect(
      db.prepare('SELECT id FROM entries WHERE ceremony_id = ? AND seq = ?').pluck().get('bg-test-a', next.seq),
    ).toBe(11);
    journal.close();
  });

  it('creates every table at the latest version', () => {
    const db = openDatabase(':memory:');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['entries', 'heads', 'checkpoints', 'enrolled_keys', 'sync_state']),
    );
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
