import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS_PREV_HASH } from '../../../src-shared/journal/types';
import { openJournal, openJournalAt, type Journal } from '../../../src-main/journal/journal';
import { entryHash } from '../../../src-main/journal/entry-hash';
import { DATABASE_FILE, DatabaseOpenError } from '../../../src-main/db/open-database';
import { steppingClock, useTempDir } from '../../support/temp-dir';

const ID = 'bg-20261121-test0001';

function sampleCeremony(journal: Journal, n = 6): void {
  journal.append(ID, 'ceremony_started', {
    type: 'root-login',
    drill: true,
    operator: { id: 'taha@example.com', name: 'Taha' },
  });
  for (let i = 1; i < n; i++) journal.append(ID, 'note', { text: `entry ${i}`, n: i });
}

/** Opens the raw database the way an attacker with file access would, triggers removed. */
function tamper(dir: string, sql: (db: Database.Database) => void): void {
  const db = new Database(path.join(dir, DATABASE_FILE));
  db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_gapless;');
  sql(db);
  db.close();
}

describe('journal', () => {
  const tempDir = useTempDir();

  it('appends a gapless hash chain with canonical payloads', () => {
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    sampleCeremony(journal, 4);
    const entries = journal.entries(ID);
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(entries[0]!.prev_hash).toBe(GENESIS_PREV_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev_hash).toBe(entries[i - 1]!.hash);
    for (const e of entries) expect(e.hash).toBe(entryHash(e));
    expect(entries[1]!.recorded_at).toBe('2026-11-21T09:00:01.000Z');
    expect(journal.verify(ID)).toEqual({ ok: true, count: 4, head_hash: entries[3]!.hash });
    expect(journal.head(ID)?.seq).toBe(3);
    expect(journal.ceremonies()).toEqual([
      expect.objectContaining({
        ceremony_id: ID,
        entries: 4,
        head_hash: entries[3]!.hash,
        kind_of_first: 'ceremony_started',
      }),
    ]);
    journal.close();
  });

  it('keeps ceremonies apart and reads back in insertion order for sync', () => {
    const journal = openJournal({ dataDir: tempDir() });
    journal.append('bg-a-0001', 'note', { text: 'a0' });
    journal.append('bg-b-0001', 'note', { text: 'b0' });
    journal.append('bg-a-0001', 'note', { text: 'a1' });
    const rows = journal.entriesAfterRowid(0, 10);
    expect(rows.map((r) => `${r.entry.ceremony_id}:${r.entry.seq}`)).toEqual([
      'bg-a-0001:0',
      'bg-b-0001:0',
      'bg-a-0001:1',
    ]);
    expect(journal.entriesAfterRowid(rows[1]!.rowid, 10).map((r) => r.entry.payload)).toEqual([{ text: 'a1' }]);
    journal.close();
  });

  it('keeps the insertion order the sync cursor follows through a VACUUM', () => {
    const journal = openJournal({ dataDir: tempDir() });
    for (let i = 0; i < 20; i++) journal.append(i % 2 ? 'bg-a-0001' : 'bg-b-0001', 'note', { i });
    const before = journal.entriesAfterRowid(0, 100).map((r) => [r.rowid, r.entry.hash]);
    journal.db.exec('VACUUM');
    expect(journal.entriesAfterRowid(0, 100).map((r) => [r.rowid, r.entry.hash])).toEqual(before);
    expect(journal.entriesAfterRowid(before[9]![0] as number, 100)).toHaveLength(10);
    journal.close();
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const journal = openJournal({ dataDir: tempDir() });
    sampleCeremony(journal, 2);
    expect(() => journal.db.prepare("UPDATE entries SET kind = 'x' WHERE seq = 0").run()).toThrow(
      /append-only: UPDATE refused/,
    );
    expect(() => journal.db.prepare('DELETE FROM entries').run()).toThrow(/append-only: DELETE refused/);
    expect(() =>
      journal.db
        .prepare(
          "INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?, 5, 'note', '{}', '2026-11-21T09:00:00.000Z', ?, ?)",
        )
        .run(ID, GENESIS_PREV_HASH, 'b'.repeat(64)),
    ).toThrow(/seq must follow the head/);
    expect(journal.verify(ID).ok).toBe(true);
    journal.close();
  });

  it('rejects bad input clearly and writes nothing', () => {
    const journal = openJournal({ dataDir: tempDir() });
    sampleCeremony(journal, 2);
    expect(() => journal.append('no spaces allowed', 'note', {})).toThrow(/not a valid ceremony id/);
    expect(() => journal.append(ID, 'Bad Kind', {})).toThrow(/not a valid entry kind/);
    expect(() => journal.append(ID, 'note', [] as never)).toThrow(/JSON object/);
    expect(() => journal.append(ID, 'note', { n: Number.POSITIVE_INFINITY })).toThrow(/not a JSON number/);
    expect(journal.entries(ID)).toHaveLength(2);
    expect(journal.verify(ID).ok).toBe(true);
    journal.close();
  });

  it('survives reopening: the chain continues where it stopped', () => {
    const dir = tempDir();
    const first = openJournal({ dataDir: dir });
    sampleCeremony(first, 3);
    first.close();
    const second = openJournal({ dataDir: dir });
    second.append(ID, 'note', { text: 'after restart' });
    expect(second.verify(ID)).toMatchObject({ ok: true, count: 4 });
    second.close();
  });

  describe('detects every kind of tampering in the database, naming the first bad seq', () => {
    const cases: Array<[string, (db: Database.Database) => void, number, RegExp]> = [
      [
        'one byte of a payload edited',
        (db) => {
          const row = db.prepare('SELECT payload FROM entries WHERE ceremony_id = ? AND seq = 3').get(ID) as {
            payload: string;
          };
          db.prepare('UPDATE entries SET payload = ? WHERE ceremony_id = ? AND seq = 3').run(
            row.payload.replace('entry 3', 'entry 8'),
            ID,
          );
        },
        3,
        /edited/,
      ],
      [
        'the last entry deleted',
        (db) => db.prepare('DELETE FROM entries WHERE ceremony_id = ? AND seq = 5').run(ID),
        5,
        /removed from the end/,
      ],
      [
        'a middle entry deleted',
        (db) => db.prepare('DELETE FROM entries WHERE ceremony_id = ? AND seq = 2').run(ID),
        2,
        /seq 2 is missing/,
      ],
      [
        'two entries swapped',
        (db) => {
          const a = db.prepare('SELECT * FROM entries WHERE ceremony_id = ? AND seq = 2').get(ID) as Record<
            string,
            unknown
          >;
          const b = db.prepare('SELECT * FROM entries WHERE ceremony_id = ? AND seq = 3').get(ID) as Record<
            string,
            unknown
          >;
          const put = db.prepare(
            'UPDATE entries SET kind = @kind, payload = @payload, recorded_at = @recorded_at, prev_hash = @prev_hash, hash = @hash WHERE ceremony_id = @ceremony_id AND seq = @target',
          );
          db.prepare('UPDATE entries SET hash = ? WHERE ceremony_id = ? AND seq = 2').run('e'.repeat(64), ID);
          put.run({ ...a, target: 3 });
          put.run({ ...b, target: 2 });
        },
        2,
        /edited/,
      ],
      [
        'recorded_at changed',
        (db) =>
          db
            .prepare("UPDATE entries SET recorded_at = '2026-11-21T08:00:00.000Z' WHERE ceremony_id = ? AND seq = 4")
            .run(ID),
        4,
        /edited/,
      ],
      [
        'an entry inserted in the middle, later ones renumbered and rehashed',
        (db) => {
          db.exec('DROP TRIGGER IF EXISTS heads_forward_only');
          const rows = db
            .prepare('SELECT * FROM entries WHERE ceremony_id = ? AND seq >= 3 ORDER BY seq DESC')
            .all(ID) as Array<Record<string, number | string>>;
          for (const r of rows)
            db.prepare('UPDATE entries SET seq = seq + 1 WHERE ceremony_id = ? AND seq = ?').run(ID, r.seq);
          const prev = db.prepare('SELECT hash FROM entries WHERE ceremony_id = ? AND seq = 2').get(ID) as {
            hash: string;
          };
          const forged = {
            ceremony_id: ID,
            seq: 3,
            kind: 'note',
            payload: { text: 'forged' },
            recorded_at: '2026-11-21T09:00:02.500Z',
            prev_hash: prev.hash,
          };
          db.prepare(
            'INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
          ).run(ID, 3, 'note', JSON.stringify(forged.payload), forged.recorded_at, prev.hash, entryHash(forged));
        },
        4,
        /prev_hash does not match|edited/,
      ],
      [
        "an entry appended behind the journal's back",
        (db) => {
          const head = db.prepare('SELECT hash FROM entries WHERE ceremony_id = ? AND seq = 5').get(ID) as {
            hash: string;
          };
          const extra = {
            ceremony_id: ID,
            seq: 6,
            kind: 'note',
            payload: {},
            recorded_at: '2026-11-21T10:00:00.000Z',
            prev_hash: head.hash,
          };
          db.prepare(
            'INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?, 6, ?, ?, ?, ?, ?)',
          ).run(ID, 'note', '{}', extra.recorded_at, head.hash, entryHash(extra));
        },
        6,
        /added/,
      ],
    ];
    it.each(cases)('%s', (_name, mutate, firstBadSeq, reason) => {
      const dir = tempDir();
      const journal = openJournal({ dataDir: dir, clock: steppingClock() });
      sampleCeremony(journal);
      expect(journal.verify(ID).ok).toBe(true);
      journal.close();
      tamper(dir, mutate);
      const reopened = openJournal({ dataDir: dir });
      const verdict = reopened.verify(ID);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) {
        expect(verdict.seq).toBe(firstBadSeq);
        expect(verdict.reason).toMatch(reason);
      }
      reopened.close();
    });
  });

  it('verifies a long journal page by page and still names the first bad seq past a page boundary', () => {
    const dir = tempDir();
    const journal = openJournal({ dataDir: dir });
    journal.db.transaction(() => {
      for (let i = 0; i < 12_000; i++) journal.append(ID, 'note', { text: `entry ${i}` });
    })();
    expect(journal.verify(ID)).toMatchObject({ ok: true, count: 12_000 });
    journal.close();
    tamper(dir, (db) => {
      db.prepare('UPDATE entries SET payload = \'{"text":"entry X"}\' WHERE ceremony_id = ? AND seq = 7501').run(ID);
      db.prepare('DELETE FROM entries WHERE ceremony_id = ? AND seq = 10000').run(ID);
    });
    const reopened = openJournal({ dataDir: dir });
    expect(reopened.verify(ID)).toMatchObject({ ok: false, seq: 7501, reason: expect.stringMatching(/edited/) });
    reopened.close();
  });

  it('refuses a truncated or foreign database file with a clear error and does not modify it', () => {
    const dir = tempDir();
    const journal = openJournal({ dataDir: dir });
    sampleCeremony(journal, 50);
    journal.db.pragma('wal_checkpoint(TRUNCATE)');
    journal.close();
    const file = path.join(dir, DATABASE_FILE);
    const truncated = readFileSync(file).subarray(0, 5000);
    writeFileSync(file, truncated);
    expect(() => openJournalAt(file)).toThrow(DatabaseOpenError);
    expect(() => openJournalAt(file)).toThrow(/damaged|not a Breakglass journal/);
    expect(readFileSync(file).equals(truncated)).toBe(true);

    const foreign = path.join(dir, 'notes.sqlite3');
    writeFileSync(foreign, 'these are my notes, not a database\n');
    expect(() => openJournalAt(foreign)).toThrow(/not a Breakglass journal/);
    expect(readFileSync(foreign, 'utf8')).toBe('these are my notes, not a database\n');
  });
});
