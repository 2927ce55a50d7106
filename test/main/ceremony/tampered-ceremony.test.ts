import Database from 'better-sqlite3';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPEND_ONLY_GUARDS } from '../../../src-main/db/append-only-guards';
import { DATABASE_FILE, DatabaseOpenError, openDatabase } from '../../../src-main/db/open-database';
import { journalStatus } from '../../../src-main/journal/journal-status';
import { openJournal } from '../../../src-main/journal/journal';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import { useTempDir } from '../../support/temp-dir';
import { SSO_DOWN, makeService, manualClock, outageProbe, softwareSigner } from './service-fixture';

type R = { ok: true; value: CeremonyState } | { ok: false; error: { code: string; message: string } };
function ok(r: R): CeremonyState {
  if (!r.ok) throw new Error(`refused (${r.error.code}): ${r.error.message}`);
  return r.value;
}

/** Edits the database as someone with the file could: the guards dropped, then rows changed. */
function tamper(dir: string, sql: string): void {
  const db = new Database(path.join(dir, DATABASE_FILE));
  for (const name of Object.keys(APPEND_ONLY_GUARDS)) db.exec(`DROP TRIGGER IF EXISTS ${name}`);
  db.exec(sql);
  db.close();
}

describe('a ceremony whose journal was edited outside Breakglass', () => {
  const tempDir = useTempDir();

  async function twoCeremonies(dir: string) {
    const clock = manualClock();
    const { service, journal } = makeService(dir, { clock, signer: softwareSigner().signer });
    const edited = ok(await service.start({ type: 'root-login', drill: false })).ceremony_id;
    ok(await service.selectScenario(edited, SSO_DOWN));
    ok(await service.lockStep(edited, { step: 'scenario' }));
    ok(await service.probeSso(edited));
    const intact = ok(await service.start({ type: 'root-login', drill: false })).ceremony_id;
    ok(await service.selectScenario(intact, SSO_DOWN));
    journal.close();
    return { clock, edited, intact };
  }

  it('accepts nothing but notes: no second SSO try, no re-lock, no step; the intact ceremony carries on', async () => {
    const dir = tempDir();
    const { clock, edited, intact } = await twoCeremonies(dir);
    // The SSO probe row removed: without the chain check the one-try rule would allow a second AWS call.
    tamper(dir, `DELETE FROM entries WHERE ceremony_id = '${edited}' AND kind = 'sso_probe'`);
    const calls = { n: 0 };
    const { service, journal } = makeService(dir, {
      clock,
      signer: softwareSigner().signer,
      ssoProbe: outageProbe(calls),
    });
    expect(journal.restoredGuards).toEqual(Object.keys(APPEND_ONLY_GUARDS));

    const s = ok(await service.getState(edited));
    expect(s.integrity).toMatchObject({ ok: false, seq: 3 });
    expect(
      Object.entries(s.allowed)
        .filter(([, a]) => a.ok)
        .map(([n]) => n),
    ).toEqual(['add_note']);
    expect(s.allowed.probe_sso).toMatchObject({ ok: false, error: { code: 'journal-tampered' } });
    const headBefore = journal.head(edited);
    for (const attempt of [
      () => service.probeSso(edited),
      () => service.selectScenario(edited, SSO_DOWN),
      () => service.lockStep(edited, { step: 'scenario' }),
      () => service.notifyFounder(edited, { contact_id: 'asad', channel: 'call', acknowledged: true }),
      () => service.abort(edited, { reason: 'hide what happened by stopping' }),
    ]) {
      const r = await attempt();
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'journal-tampered', message: expect.stringContaining(`does not verify at seq 3`) },
      });
    }
    expect(calls.n).toBe(0);
    expect(journal.head(edited)).toEqual(headBefore);
    // A note is still possible (to record what was noticed); it does not heal the chain.
    const noted = ok(await service.addNote(edited, { text: 'noticed the journal does not verify; founders told' }));
    expect(noted.integrity).toMatchObject({ ok: false, seq: 3 });
    // The other ceremony in the same file is untouched and goes on.
    expect(ok(await service.getState(intact)).integrity).toEqual({ ok: true });
    ok(await service.lockStep(intact, { step: 'scenario' }));
    journal.close();
  });

  it('a payload that is no longer JSON: that ceremony reads as tampered, the others are still listed', async () => {
    const dir = tempDir();
    const { clock, edited, intact } = await twoCeremonies(dir);
    tamper(dir, `UPDATE entries SET payload = '{"broken' WHERE ceremony_id = '${edited}' AND seq = 1`);
    const { service, journal } = makeService(dir, { clock, signer: softwareSigner().signer });
    expect(await service.getState(edited)).toMatchObject({
      ok: false,
      error: { code: 'journal-tampered', message: expect.stringContaining('changed outside Breakglass') },
    });
    expect(service.list().map((c) => c.ceremony_id)).toEqual([intact]);
    const status = await journalStatus(journal, dir);
    expect(status.ceremonies.find((c) => c.ceremony_id === edited)).toMatchObject({ verified: false });
    expect(status.restoredGuards).toHaveLength(Object.keys(APPEND_ONLY_GUARDS).length);
    journal.close();
  });

  it("the append-only guards come back when the journal is opened, and the list is the migrations' own", () => {
    const dir = tempDir();
    openJournal({ dataDir: dir }).close();
    const fresh = new Database(path.join(dir, DATABASE_FILE));
    const norm = (sql: string) => sql.replace(/\s+/g, ' ').trim();
    const actual = Object.fromEntries(
      (
        fresh.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{
          name: string;
          sql: string;
        }>
      ).map((t) => [t.name, norm(t.sql)]),
    );
    fresh.close();
    expect(actual).toEqual(Object.fromEntries(Object.entries(APPEND_ONLY_GUARDS).map(([k, v]) => [k, norm(v)])));
    tamper(dir, 'SELECT 1');
    const reopened = openJournal({ dataDir: dir });
    expect([...reopened.restoredGuards].sort()).toEqual(Object.keys(APPEND_ONLY_GUARDS).sort());
    expect(() => reopened.db.prepare("UPDATE entries SET kind = 'x'").run()).not.toThrow(); // no rows yet: nothing to refuse
    reopened.append('bg-20260520-guards', 'note', { text: 'one' });
    expect(() => reopened.db.prepare("UPDATE entries SET kind = 'x'").run()).toThrow(/UPDATE refused/);
    reopened.close();
    expect(openJournal({ dataDir: dir }).restoredGuards).toEqual([]);
  });

  it('a database file cut short is refused on open, named, and left as it was', async () => {
    const dir = tempDir();
    await twoCeremonies(dir);
    const file = path.join(dir, DATABASE_FILE);
    const whole = readFileSync(file);
    for (const cut of [1, 100, 4000]) {
      writeFileSync(file, whole.subarray(0, whole.length - cut));
      const before = readFileSync(file);
      expect(() => openDatabase(file)).toThrow(DatabaseOpenError);
      expect(() => openDatabase(file)).toThrow(
        /is damaged: \d+ bytes is not a whole number of \d+-byte pages, so it was cut short/,
      );
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });
});
