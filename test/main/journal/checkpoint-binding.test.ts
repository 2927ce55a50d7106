import { builtInConfig } from '../../../src-shared/config/example-config';
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCeremony } from '../../../src-main/use-cases/export-ceremony';
import { DATABASE_FILE } from '../../../src-main/db/open-database';
import { openJournal } from '../../../src-main/journal/journal';
import { createSoftwareKey, lockStep } from '../../support/software-key';
import { useTempDir } from '../../support/temp-dir';

const ID = 'bg-20261129-binding';
/** Entries enough for verification to read many pages (journal.ts reads 1000 a page). */
const MANY_PAGES = 20_000;

/**
 * Reading a journal back checks its checkpoints table against the chain, as `breakglass verify`
 * does for a bundle: cutting the last locked step off the end and moving the head record back
 * leaves a chain that is intact on its own, but not the signed checkpoint that recorded it.
 */
describe('read-back binds the checkpoints table to the chain', () => {
  const tempDir = useTempDir();

  function lockedJournal(extra = 0): string {
    const dir = tempDir();
    const journal = openJournal({ dataDir: dir });
    const key = createSoftwareKey();
    journal.db.pragma('synchronous = OFF');
    journal.append(ID, 'ceremony_started', { type: 'root-login' });
    journal.append(ID, 'scenario_selected', { scenario_id: 'sso-down' });
    lockStep(journal, ID, 'scenario', key);
    journal.db.transaction(() => {
      for (let i = 0; i < extra; i++) journal.append(ID, 'note', { text: `entry ${i}` });
    })();
    journal.append(ID, 'signed_out', { at: 'now' });
    lockStep(journal, ID, 'sign_out', key); // the last entry is this step_locked
    journal.close();
    return dir;
  }

  /** Edits the file as someone with the laptop could: triggers out of the way first. */
  function edit(dir: string, sql: string): void {
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.exec(
      'DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER heads_forward_only; DROP TRIGGER checkpoints_no_delete; DROP TRIGGER checkpoints_no_update;',
    );
    db.exec(sql);
    db.close();
  }

  const cutLastLock = `DELETE FROM entries WHERE ceremony_id = '${ID}' AND seq = (SELECT MAX(seq) FROM entries WHERE ceremony_id = '${ID}');
    UPDATE heads SET seq = seq - 1, hash = (SELECT hash FROM entries WHERE ceremony_id = '${ID}' ORDER BY seq DESC LIMIT 1) WHERE ceremony_id = '${ID}';`;

  it('an intact locked journal verifies; the last lock cut off with the head moved back does not, and is not exported', () => {
    const dir = lockedJournal();
    let journal = openJournal({ dataDir: dir });
    expect(journal.verify(ID)).toMatchObject({ ok: true, count: 5 });
    journal.close();

    edit(dir, cutLastLock);
    journal = openJournal({ dataDir: dir });
    const verdict = journal.verify(ID);
    expect(verdict).toEqual({
      ok: false,
      seq: 3,
      reason:
        'checkpoint "sign_out" at seq 3: the journal has no step_locked entry right after it that records this tap',
    });
    expect(journal.verifyRead(ID, journal.storedEntries(ID))).toEqual(verdict);
    expect(
      exportCeremony({
        journal,
        ceremonyId: ID,
        outDir: path.join(dir, 'out'),
        keys: [],
        now: new Date(),
        config: builtInConfig(),
      }),
    ).toMatchObject({ ok: false, error: { code: 'journal-tampered', message: expect.stringMatching(/seq 3/) } });
    journal.close();
  });

  it('a checkpoint row removed, or moved to another head, is named', () => {
    const removed = lockedJournal();
    edit(removed, `DELETE FROM checkpoints WHERE ceremony_id = '${ID}' AND step = 'scenario'`);
    let journal = openJournal({ dataDir: removed });
    expect(journal.verify(ID)).toEqual({
      ok: false,
      seq: 2,
      reason: 'step_locked "scenario" at seq 2 has no checkpoint: a signature was removed',
    });
    journal.close();

    const moved = lockedJournal();
    edit(moved, `UPDATE checkpoints SET seq = 0 WHERE ceremony_id = '${ID}' AND step = 'scenario'`);
    journal = openJournal({ dataDir: moved });
    expect(journal.verify(ID)).toMatchObject({
      ok: false,
      seq: 0,
      reason: expect.stringContaining('does not sign the entry at that seq'),
    });
    journal.close();
  });

  it('a lock stored with its kind as a BLOB (same hashed bytes, hidden from the lock lookup) and its checkpoint removed is caught', () => {
    const hide = `DELETE FROM checkpoints WHERE ceremony_id = '${ID}' AND step = 'scenario'; UPDATE entries SET kind = CAST(kind AS BLOB) WHERE ceremony_id = '${ID}' AND seq = 2;`;
    const expected = {
      ok: false,
      seq: 2,
      reason: 'a field of this entry is not stored as text: it was edited outside Breakglass',
    };
    const small = lockedJournal();
    edit(small, hide);
    let journal = openJournal({ dataDir: small });
    expect(journal.verify(ID)).toEqual(expected);
    journal.close();
    const large = lockedJournal(MANY_PAGES);
    edit(large, hide);
    journal = openJournal({ dataDir: large });
    expect(journal.verify(ID)).toEqual(expected);
    journal.close();
  }, 60_000);
});
