import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/db/open-database';
import { entryHashWithPayloadText } from '../../../src-main/journal/entry-hash';
import { openJournal } from '../../../src-main/journal/journal';
import type { StoredEntry } from '../../../src-main/journal/verify-chain';
import { PARALLEL_MIN_ENTRIES, prewarmVerification, splitRanges, verifyJournalParallel } from '../../../src-main/journal/parallel-verify';
import { idleRangeWorkers } from '../../../src-main/journal/range-workers';
import { useTempDir } from '../../support/temp-dir';

const ID = 'bg-20261121-parallel';
const N = PARALLEL_MIN_ENTRIES + 5_000;

describe('verification on every core (large journals)', () => {
  const tempDir = useTempDir();

  function bigJournal(): string {
    const dir = tempDir();
    const journal = openJournal({ dataDir: dir });
    journal.db.pragma('synchronous = OFF');
    journal.db.transaction(() => {
      for (let i = 0; i < N; i++) journal.append(ID, 'note', { text: `entry ${i}` });
    })();
    journal.close();
    return dir;
  }

  function tamper(dir: string, sql: string): void {
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_gapless;');
    db.exec(sql);
    db.close();
  }

  it('agrees with the sequential walk on an intact journal and on every kind of damage', async () => {
    const dir = bigJournal();
    let journal = openJournal({ dataDir: dir });
    const paths: string[] = [];
    expect(await verifyJournalParallel(journal, ID, { threads: 2, onPath: (p, why) => paths.push(`${p}: ${why}`) })).toEqual(journal.verify(ID));
    expect(paths).toEqual(['parallel: 2 ranges']);
    journal.close();

    const seam = splitRanges(N, [1, 0.6])[1]![0]; // each damaged copy is a new file: its worker starts cold
    const damage = [
      `UPDATE entries SET payload = '{"text":"entry X"}' WHERE seq = 3000`, // in the calling thread's range
      `UPDATE entries SET payload = '{"text":"entry X"}' WHERE seq = ${seam + 3000}`, // in the worker's range
      `DELETE FROM entries WHERE seq = ${seam}`, // at the seam between the ranges
      `DELETE FROM entries WHERE seq = ${seam - 1}`, // the last entry of the calling thread's range
      `DELETE FROM entries WHERE seq = ${N - 1}`, // cut from the end (the head record still says N-1)
      `UPDATE entries SET kind = CAST(kind AS BLOB) WHERE seq = ${seam + 3000}`, // same hashed bytes, not TEXT, in the worker's range
      `UPDATE entries SET seq = 'x' WHERE seq = ${seam + 3001}`, // a seq that is not an integer, in the worker's range
    ];
    for (const sql of damage) {
      const copy = tempDir();
      const { copyFileSync } = await import('node:fs');
      copyFileSync(path.join(dir, DATABASE_FILE), path.join(copy, DATABASE_FILE));
      tamper(copy, sql);
      journal = openJournal({ dataDir: copy });
      const sequential = journal.verify(ID);
      expect(sequential.ok, sql).toBe(false);
      const seen: string[] = [];
      expect(await verifyJournalParallel(journal, ID, { threads: 2, onPath: (p, why) => seen.push(`${p}: ${why}`) }), sql).toEqual(sequential);
      expect(seen, sql).toEqual(['sequential: a range is not intact']);
      journal.close();
    }
  }, 60_000);

  it('splits the seq range into contiguous shares in proportion to the weights', () => {
    for (const [count, weights] of [[25_000, [1, 0.6]], [100_000, [1, 1, 1, 1]], [20_001, [1, 0.6, 1]], [7, [1, 1, 1, 1]]] as const) {
      const ranges = splitRanges(count, weights);
      expect(ranges[0]![0]).toBe(0);
      expect(ranges[ranges.length - 1]![1]).toBe(count - 1);
      ranges.forEach(([from, to], i) => {
        expect(from).toBeLessThanOrEqual(to);
        if (i > 0) expect(from).toBe(ranges[i - 1]![1] + 1);
        const share = (to - from + 1) / count;
        expect(Math.abs(share - weights[i]! / weights.reduce((a, b) => a + b, 0))).toBeLessThan(count > 100 ? 0.001 : 0.5);
      });
    }
    expect(splitRanges(100_000, [1])).toEqual([[0, 99_999]]);
  });

  it('keeps a worker warm between verifications and stops it when the journal closes', async () => {
    const dir = bigJournal();
    const journal = openJournal({ dataDir: dir });
    const paths: string[] = [];
    const onPath = (p: string, why: string) => paths.push(`${p}: ${why}`);
    const first = await verifyJournalParallel(journal, ID, { threads: 2, onPath });
    expect(idleRangeWorkers(journal.file)).toBe(1);
    expect(await verifyJournalParallel(journal, ID, { threads: 2, onPath })).toEqual(first);
    expect(idleRangeWorkers(journal.file)).toBe(1); // the same worker again, not a second one
    expect(paths).toEqual(['parallel: 2 ranges', 'parallel: 2 ranges']);
    journal.close();
    expect(idleRangeWorkers(journal.file)).toBe(0);
  }, 60_000);

  it('a warm worker never vouches for a journal file that was replaced under it', async () => {
    const dir = bigJournal();
    const file = path.join(dir, DATABASE_FILE);
    const before = openJournal({ dataDir: dir });
    expect((await verifyJournalParallel(before, ID, { threads: 2 })).ok).toBe(true);
    expect(idleRangeWorkers(file)).toBe(1);
    // A copy damaged in the worker's share, without rehashing, renamed over the original: a new
    // file at the same path, whose chain ends and joins exactly where the old one did.
    const { copyFileSync, renameSync } = await import('node:fs');
    const copyDir = tempDir();
    copyFileSync(file, path.join(copyDir, DATABASE_FILE));
    tamper(copyDir, `UPDATE entries SET payload = '{"text":"entry X"}' WHERE seq = ${N - 10}`);
    renameSync(path.join(copyDir, DATABASE_FILE), file);
    const after = openJournal({ dataDir: dir });
    const sequential = after.verify(ID);
    expect(sequential).toMatchObject({ ok: false, seq: N - 10 });
    expect(await verifyJournalParallel(after, ID, { threads: 2 })).toEqual(sequential);
    after.close();
    before.close();
  }, 60_000);

  it("a worker rejects a gap in its share even when the chain and the head were re-hashed around it", async () => {
    const dir = bigJournal();
    const gap = N - 100; // well inside the worker's share
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_gapless; DROP TRIGGER heads_forward_only;');
    db.prepare('DELETE FROM entries WHERE ceremony_id = ? AND seq = ?').run(ID, gap);
    const rows = db.prepare('SELECT * FROM entries WHERE ceremony_id = ? AND seq >= ? ORDER BY seq').all(ID, gap - 1) as StoredEntry[];
    const update = db.prepare('UPDATE entries SET prev_hash = ?, hash = ? WHERE ceremony_id = ? AND seq = ?');
    let prev = rows[0]!.hash;
    db.transaction(() => {
      for (const e of rows.slice(1)) {
        const rehashed = entryHashWithPayloadText({ ...e, prev_hash: prev }, e.payload);
        update.run(prev, rehashed, ID, e.seq);
        prev = rehashed;
      }
      db.prepare('UPDATE heads SET seq = ?, hash = ? WHERE ceremony_id = ?').run(N - 2, prev, ID);
    })();
    db.close();
    const journal = openJournal({ dataDir: dir });
    const sequential = journal.verify(ID);
    expect(sequential).toMatchObject({ ok: false, seq: gap });
    const seen: string[] = [];
    expect(await verifyJournalParallel(journal, ID, { threads: 2, onPath: (p, why) => seen.push(`${p}: ${why}`) })).toEqual(sequential);
    expect(seen).toEqual(['sequential: a range is not intact']);
    journal.close();
  }, 60_000);

  it('warms a worker at open only for a journal with a large ceremony, and keeps none once closed', async () => {
    const small = openJournal({ dataDir: tempDir() });
    small.append(ID, 'note', { text: 'one' });
    expect(await prewarmVerification(small, { threads: 2 })).toBe(0);
    expect(idleRangeWorkers(small.file)).toBe(0);
    small.close();

    const dir = bigJournal();
    const journal = openJournal({ dataDir: dir });
    expect(await prewarmVerification(journal, { threads: 2 })).toBe(1);
    expect(idleRangeWorkers(journal.file)).toBe(1);
    const paths: string[] = [];
    expect(await verifyJournalParallel(journal, ID, { threads: 2, onPath: (p, why) => paths.push(`${p}: ${why}`) })).toEqual(journal.verify(ID));
    expect(paths).toEqual(['parallel: 2 ranges']);
    expect(idleRangeWorkers(journal.file)).toBe(1); // the warmed worker did the job
    journal.close();

    // Closed while warming: the worker is stopped, not parked.
    const again = openJournal({ dataDir: dir });
    const warming = prewarmVerification(again, { threads: 2 });
    again.close();
    await warming;
    expect(idleRangeWorkers(again.file)).toBe(0);

    // Closed while a verification waits for its worker: the same.
    const third = openJournal({ dataDir: dir });
    const verifying = verifyJournalParallel(third, ID, { threads: 2 });
    third.close();
    await verifying.catch(() => undefined); // a closed journal cannot be verified; that is the caller's doing
    expect(idleRangeWorkers(third.file)).toBe(0);
  }, 60_000);

  it('uses the sequential walk for small journals', async () => {
    const journal = openJournal({ dataDir: tempDir() });
    journal.append(ID, 'note', { text: 'one' });
    expect(await verifyJournalParallel(journal, ID)).toEqual({ ok: true, count: 1, head_hash: journal.head(ID)!.hash });
    journal.close();
  });
});
