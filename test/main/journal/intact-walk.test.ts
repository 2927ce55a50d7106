import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_PREV_HASH } from '../../../src-shared/journal/types';
import { HASH_INPUT_PAGE_SQL, HASH_LINE_PAGE_SQL } from '../../../src-main/journal/hash-input-sql';
import { entryHashWithPayloadText } from '../../../src-main/journal/entry-hash';
import { intactLine, walkIntact } from '../../../src-main/journal/intact-walk';
import { openJournal, type Journal } from '../../../src-main/journal/journal';
import { verifyStoredRows } from '../../../src-main/journal/verify-chain';
import { seededRng } from '../../support/seeded-rng';
import { useTempDir } from '../../support/temp-dir';

const ID = 'bg-20261129-intact';
const N = 60;
const PAGE = 7; // small pages, so damage also falls on page edges

/**
 * The intact path (one string per entry, fixed offsets) must never accept what the explaining
 * walk (one column per field) rejects: every kind of damage, including values of the wrong SQL
 * type or length that would shift a fixed-offset split, is rejected by both, and journal.verify
 * still names the first bad seq exactly as the explaining walk does.
 */
describe('the intact path of verification', () => {
  const tempDir = useTempDir();

  function journalWith(n: number): Journal {
    const journal = openJournal({ dataDir: tempDir() });
    for (let i = 0; i < n; i++)
      journal.append(ID, i === 0 ? 'ceremony_started' : 'note', { text: `entry ${i} "quoted" é`, n: i });
    return journal;
  }

  function intact(journal: Journal, to = Infinity) {
    const lines = journal.db.prepare(HASH_LINE_PAGE_SQL).pluck();
    return walkIntact(
      (from, limit) => lines.all(ID, from, limit) as Array<string | null>,
      0,
      to,
      GENESIS_PREV_HASH,
      PAGE,
    );
  }

  function explained(journal: Journal) {
    const page = journal.db.prepare(HASH_INPUT_PAGE_SQL).raw();
    return verifyStoredRows(
      (from) => page.all(ID, from, PAGE) as Array<[number, string | null, string, string]>,
      journal.recordedHead(ID),
    );
  }

  /** Runs `sql` with the append-only triggers out of the way, checks, and rolls everything back. */
  function damaged(journal: Journal, sql: string, check: () => void): void {
    // Whoever edits the file is not bound by its CHECK constraints either.
    journal.db.pragma('ignore_check_constraints = ON');
    journal.db.exec('BEGIN');
    try {
      journal.db.exec(
        'DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_gapless; DROP TRIGGER heads_forward_only;',
      );
      journal.db.exec(sql);
      check();
    } finally {
      journal.db.exec('ROLLBACK');
      journal.db.pragma('ignore_check_constraints = OFF');
    }
  }

  it('checks one line exactly: prev_hash, stored hash, and the seq at the end of the hashed text', () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const prev = 'a'.repeat(64);
    const line = (input: string) => prev + sha(input) + input;
    for (const seq of [0, 7, 10, 99, 100, 123456]) {
      const text = `{"kind":"note","seq":${seq}}`;
      expect(intactLine(line(text), prev, seq, sha)).toBe(sha(text));
      expect(intactLine(line(text), null, seq, sha)).toBe(sha(text)); // a range's first line: joined by the caller
      expect(intactLine(line(text), prev, seq + 1, sha)).toBeNull();
      expect(intactLine(line(text), 'b'.repeat(64), seq, sha)).toBeNull();
      for (const wrong of [
        `{"kind":"note","seq":1${seq}}`,
        `{"kind":"note","seq":-${seq}}`,
        `{"kind":"note","seq":${seq}.0}`,
        `{"kind":"note","seq":${seq}} `,
      ]) {
        expect(intactLine(line(wrong), prev, seq, sha), wrong).toBeNull();
      }
      expect(intactLine(prev + sha(text).toUpperCase() + text, prev, seq, sha)).toBeNull();
    }
    expect(intactLine(null, prev, 0, sha)).toBeNull();
    expect(intactLine(prev + sha('0}') + '0}', prev, 0, sha)).toBeNull();
  });

  it('accepts an intact journal, page by page and up to a given seq', () => {
    const journal = journalWith(N);
    const whole = intact(journal);
    expect(whole).toEqual({
      ok: true,
      count: N,
      firstPrev: GENESIS_PREV_HASH,
      lastHash: journal.recordedHead(ID)!.hash,
    });
    expect(intact(journal, 20)).toMatchObject({ ok: true, count: 21, lastHash: journal.entries(ID)[20]!.hash });
    expect(journal.verify(ID)).toEqual({ ok: true, count: N, head_hash: journal.recordedHead(ID)!.hash });
    expect(journal.verify(ID)).toEqual(explained(journal));
    journal.close();
  });

  it('rejects every kind of damage the explaining walk rejects, and verify names the same first bad seq', () => {
    const journal = journalWith(N);
    const at = (r: number) => `WHERE ceremony_id = '${ID}' AND seq = ${r}`;
    const damage: Array<(r: number) => string> = [
      (r) => `UPDATE entries SET payload = json_set(payload, '$.n', -1) ${at(r)}`,
      (r) => `UPDATE entries SET kind = 'notes' ${at(r)}`,
      (r) => `UPDATE entries SET recorded_at = '2027-01-01T00:00:00.000Z' ${at(r)}`,
      // a quote in a column SQLite pastes into the hashed text unescaped
      (r) => `UPDATE entries SET recorded_at = recorded_at || '","x":"' ${at(r)}`,
      (r) => `UPDATE entries SET prev_hash = upper(prev_hash) ${at(r)}`,
      (r) => `UPDATE entries SET prev_hash = prev_hash || ' ' ${at(r)}`,
      (r) => `UPDATE entries SET prev_hash = substr(prev_hash, 2) ${at(r)}`,
      (r) => `UPDATE entries SET prev_hash = CAST(prev_hash AS BLOB) ${at(r)}`,
      // 64 bytes but 63 characters: a multi-byte character shifts a fixed-offset split
      (r) => `UPDATE entries SET prev_hash = substr(prev_hash, 3) || 'é' ${at(r)}`,
      (r) => `UPDATE entries SET hash = 'é' || substr(hash, 3) ${at(r)}`,
      (r) => `UPDATE entries SET hash = upper(hash) ${at(r)}`,
      (r) => `UPDATE entries SET hash = hash || '0' ${at(r)}`,
      (r) => `UPDATE entries SET hash = CAST(hash AS BLOB) ${at(r)}`,
      // the same bytes, but not TEXT: the same hash would cover a kind that compares differently
      (r) => `UPDATE entries SET kind = CAST(kind AS BLOB) ${at(r)}`,
      (r) => `UPDATE entries SET payload = CAST(payload AS BLOB) ${at(r)}`,
      (r) => `UPDATE entries SET recorded_at = CAST(recorded_at AS BLOB) ${at(r)}`,
      (r) => `UPDATE entries SET seq = seq + 0.5 ${at(r)}`,
      (r) => `UPDATE entries SET seq = 'x${r}' ${at(r)}`,
      (r) => `UPDATE entries SET ceremony_id = 'bg-elsewhere' ${at(r)}`,
      (r) => `DELETE FROM entries ${at(r)}`,
      (r) =>
        `UPDATE entries SET seq = -1 ${at(r)}; UPDATE entries SET seq = ${r} ${at(r + 1)}; UPDATE entries SET seq = ${r + 1} ${at(-1)}`,
      (r) => `UPDATE heads SET seq = seq + 1 WHERE ceremony_id = '${ID}' AND ${r} >= 0`,
      (r) =>
        `UPDATE heads SET hash = (SELECT hash FROM entries ${at(r)}) WHERE ceremony_id = '${ID}' AND ${r} < ${N - 1}`,
    ];
    const rng = seededRng(20261129);
    let checked = 0;
    for (let round = 0; round < 12; round++) {
      for (const make of damage) {
        const r = round === 0 ? 1 : round === 1 ? N - 2 : 1 + rng.int(N - 2); // seq 0's prev_hash is all zeros: upper() would not change it
        const sql = make(r);
        damaged(journal, sql, () => {
          const slow = explained(journal);
          expect(slow.ok, sql).toBe(false);
          const walked = intact(journal);
          const head = journal.recordedHead(ID)!;
          expect(walked.ok && walked.count === head.seq + 1 && walked.lastHash === head.hash, sql).toBe(false);
          expect(journal.verify(ID), sql).toEqual(slow);
          checked += 1;
        });
      }
    }
    expect(checked).toBe(12 * damage.length);
    // Rolled back: still intact.
    expect(journal.verify(ID).ok).toBe(true);
    journal.close();
  });

  it('rejects a gap even when the chain and the head were re-hashed around it', () => {
    const journal = journalWith(N);
    const r = 17;
    damaged(journal, `DELETE FROM entries WHERE ceremony_id = '${ID}' AND seq = ${r}`, () => {
      // Whoever deleted seq r re-links everything after it and moves the head record to match.
      const rows = journal.storedEntries(ID);
      const update = journal.db.prepare('UPDATE entries SET prev_hash = ?, hash = ? WHERE ceremony_id = ? AND seq = ?');
      let prev = rows.find((e) => e.seq === r - 1)!.hash;
      for (const e of rows.filter((x) => x.seq > r)) {
        const rehashed = entryHashWithPayloadText({ ...e, prev_hash: prev }, e.payload);
        update.run(prev, rehashed, ID, e.seq);
        prev = rehashed;
      }
      journal.db.prepare('UPDATE heads SET seq = ?, hash = ? WHERE ceremony_id = ?').run(N - 2, prev, ID);
      const slow = explained(journal);
      expect(slow).toMatchObject({ ok: false, seq: r });
      expect(intact(journal).ok).toBe(false);
      expect(journal.verify(ID)).toEqual(slow);
    });
    journal.close();
  });

  it('never accepts where the explaining walk rejects, under random byte edits of any column', () => {
    const journal = journalWith(N);
    const rng = seededRng(7);
    const columns = ['payload', 'kind', 'recorded_at', 'prev_hash', 'hash', 'ceremony_id'];
    for (let i = 0; i < 400; i++) {
      const r = rng.int(N);
      const column = rng.pick(columns);
      const row = journal.db
        .prepare(`SELECT ${column} AS v FROM entries WHERE ceremony_id = ? AND seq = ?`)
        .get(ID, r) as { v: string };
      const pos = rng.int(row.v.length);
      const replacement = rng.pick(['"', '\\', '0', 'f', 'A', ' ', '', '00', String.fromCharCode(32 + rng.int(95))]);
      const edited = row.v.slice(0, pos) + replacement + row.v.slice(pos + 1);
      if (edited === row.v) continue;
      damaged(
        journal,
        `UPDATE entries SET ${column} = '${edited.replace(/'/g, "''")}' WHERE ceremony_id = '${ID}' AND seq = ${r}`,
        () => {
          const slow = explained(journal);
          expect(slow.ok, `${column} @${r}: ${edited}`).toBe(false);
          const walked = intact(journal);
          const head = journal.recordedHead(ID)!;
          expect(
            walked.ok && walked.count === head.seq + 1 && walked.lastHash === head.hash,
            `${column} @${r}: ${edited}`,
          ).toBe(false);
          expect(journal.verify(ID)).toEqual(slow);
        },
      );
    }
    journal.close();
  });
});
