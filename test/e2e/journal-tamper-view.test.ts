import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE, DatabaseOpenError } from '../../src-main/db/open-database';
import { EXPORTS_DIR } from '../../src-main/ipc/handlers';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, rawInvoke, screenshot, typeInto, type RunningApp } from './support/core';
import { SSO_DOWN } from './support/scenarios';
import { heading, resumeTheOnly } from './support/screen';

/**
 * What the window shows when the journal database was changed behind the app's back (triggers
 * dropped, rows edited with SQLite, as someone with the laptop could), and what it shows when the
 * file is not a journal at all. The renderer is the real build, the core is the real core.
 */

/** A drill up to the notify step: seq 0 started, 1 scenario, 2 step_locked, 3 sso_probe, 4-5 founders, 6-7 notes. */
async function drillToNotify(app: RunningApp): Promise<string> {
  const h = app.handlers;
  const id = (await h['ceremony:start']({ type: 'root-login', drill: true })).ceremony_id;
  await h['ceremony:selectScenario'](id, SSO_DOWN(app.core.clock(), 'INC-DRILL-003'));
  await h['ceremony:lockStep'](id, { step: 'scenario' });
  await h['ceremony:probeSso'](id, {});
  for (const contact_id of ['asad', 'ian'])
    await h['ceremony:notifyFounder'](id, { contact_id, channel: 'call', acknowledged: true });
  await h['ceremony:addNote'](id, { text: 'DRILL: first note' });
  await h['ceremony:addNote'](id, { text: 'DRILL: second note' });
  return id;
}

const ENTRY_KINDS = [
  'ceremony_started',
  'scenario_selected',
  'step_locked',
  'sso_probe',
  'founder_notified',
  'founder_notified',
  'note',
  'note',
];

/** Opens the copied database the way someone with file access would: triggers dropped, rows edited. */
function tamper(dataDir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_gapless;');
  edit(db);
  db.close();
}

/** The chain's verdict of one ceremony in the journal view (its export's evidence verdict is beside it). */
const row = (page: Page, ceremonyId: string) =>
  page.getByTestId('journal-ceremony').filter({ hasText: ceremonyId }).getByTestId('journal-chain');
/** A stack trace or an exception's class name has no place in what a person reads. */
const STACKISH = /\bat \S+ \(|\.[cm]?[jt]sx?:\d+|\b(?:Sqlite|Type|Syntax|Range|Export|Journal)?Error\b|node_modules/;

/** Polls allow for a loaded two-core machine: the renderer, the core and SQLite share it. */
const WAIT = { timeout: 15_000 };

/** Opens the journal view from the keyboard and waits until it shows a journal (or says why it cannot). */
async function openJournalView(page: Page): Promise<void> {
  await press(page.getByRole('button', { name: 'Journal', exact: true }));
  await expect
    .poll(() => page.getByRole('button', { name: 'Back to the ceremony' }).getAttribute('aria-pressed'), WAIT)
    .toBe('true');
  await expect.poll(() => page.locator('main #journal-heading, main [role="alert"]').count(), WAIT).toBeGreaterThan(0);
}

async function backToCeremony(page: Page): Promise<void> {
  await press(page.getByRole('button', { name: 'Back to the ceremony' }));
  await expect
    .poll(() => page.getByRole('button', { name: 'Journal', exact: true }).getAttribute('aria-pressed'), WAIT)
    .toBe('false');
}

/** A note through the side form, from the keyboard, as a person would record a correction. */
async function addNoteByKeyboard(page: Page, text: string): Promise<void> {
  const form = page.locator('details', { has: page.locator('summary', { hasText: 'Add a note or correction' }) });
  await press(form.locator('summary'));
  await typeInto(page.getByRole('textbox', { name: 'Note', exact: true }), text);
  await page.keyboard.press('Enter');
}

interface Fixture {
  /** A data directory, app closed, every entry on disk in the main file: copy it, never change it. */
  dir: string;
  /** Unfinished drill at the notify step, 8 entries (the window resumes it on start). */
  open: string;
  /** Aborted drill, 9 entries (listed on the start screen; its screen offers the export). */
  aborted: string;
  bytes: Buffer;
}

describe.runIf(chromiumAvailable())(
  'a tampered journal in the window (real renderer, real core, real SQLite file)',
  () => {
    const tempDir = useTempDir();
    const chromium = useChromium();
    let fx: Fixture;
    let fixtureRoot: string;

    beforeAll(async () => {
      fixtureRoot = mkdtempSync(path.join(tmpdir(), 'breakglass-tamper-fixture-'));
      const dir = path.join(fixtureRoot, 'data');
      const app = await openApp(chromium(), dir);
      let open: string;
      let aborted: string;
      try {
        await app.handlers['key:enrol']({ drill: true, label: 'primary' });
        open = await drillToNotify(app);
        aborted = await drillToNotify(app);
        await app.handlers['ceremony:abort'](aborted, { reason: 'DRILL: SSO came back' });
        expect(app.core.journal.entries(open).map((e) => e.kind)).toEqual(ENTRY_KINDS);
        expect(app.core.journal.verify(open)).toMatchObject({ ok: true, count: 8 });
        expect(app.core.journal.verify(aborted)).toMatchObject({ ok: true, count: 9 });
        app.core.journal.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        await app.close();
      }
      fx = { dir, open, aborted, bytes: readFileSync(path.join(dir, DATABASE_FILE)) };
    });
    afterAll(() => rmSync(fixtureRoot, { recursive: true, force: true }));

    /** A fresh copy of the fixture's data directory (journal and the drill key's state). */
    function copyOfFixture(): string {
      const dir = tempDir();
      cpSync(fx.dir, dir, { recursive: true });
      return dir;
    }

    type Case = {
      name: string;
      edit: (db: Database.Database, id: string) => void;
      entries: number;
      seq: number;
      reason: RegExp;
      /** The reason once one more entry is appended on top (the chain is still broken at the same seq). */
      reasonAfterAppend?: RegExp;
    };
    const EDITED = /^hash does not match the entry's contents: the entry was edited$/;
    const cases: Case[] = [
      {
        name: 'one byte of a payload edited (the recorded reason)',
        edit: (db, id) => {
          const { payload } = db.prepare('SELECT payload FROM entries WHERE ceremony_id = ? AND seq = 1').get(id) as {
            payload: string;
          };
          const edited = payload.replace('DRILL: failover', 'DRILL: failovex');
          expect([...Buffer.from(edited)].filter((b, i) => b !== Buffer.from(payload)[i])).toHaveLength(1);
          db.prepare('UPDATE entries SET payload = ? WHERE ceremony_id = ? AND seq = 1').run(edited, id);
        },
        entries: 8,
        seq: 1,
        reason: EDITED,
      },
      {
        name: 'a middle entry deleted (the SSO check)',
        edit: (db, id) => void db.prepare('DELETE FROM entries WHERE ceremony_id = ? AND seq = 3').run(id),
        entries: 7,
        seq: 3,
        reason: /^seq 3 is missing \(next entry found is seq 4\): an entry was deleted or the entries were reordered$/,
      },
      {
        name: 'the last entry deleted, the heads table left as it was',
        edit: (db, id) => void db.prepare('DELETE FROM entries WHERE ceremony_id = ? AND seq = 7').run(id),
        entries: 7,
        seq: 7,
        reason: /^the journal head is seq 7 but the entries end at seq 6: entries were removed from the end$/,
        // The next append follows the recorded head (seq 8): the hole at seq 7 stays visible.
        reasonAfterAppend: /^seq 7 is missing \(next entry found is seq 8\)/,
      },
      {
        name: 'two entries swapped (the founders notified)',
        edit: (db, id) => {
          const a = db.prepare('SELECT * FROM entries WHERE ceremony_id = ? AND seq = 4').get(id) as Record<
            string,
            unknown
          >;
          const b = db.prepare('SELECT * FROM entries WHERE ceremony_id = ? AND seq = 5').get(id) as Record<
            string,
            unknown
          >;
          const put = db.prepare(
            'UPDATE entries SET kind = @kind, payload = @payload, recorded_at = @recorded_at, prev_hash = @prev_hash, hash = @hash WHERE ceremony_id = @ceremony_id AND seq = @target',
          );
          put.run({ ...b, target: 4 });
          put.run({ ...a, target: 5 });
        },
        entries: 8,
        seq: 4,
        reason: EDITED,
      },
      {
        name: 'recorded_at changed (an hour earlier)',
        edit: (db, id) => {
          const { recorded_at } = db
            .prepare('SELECT recorded_at FROM entries WHERE ceremony_id = ? AND seq = 5')
            .get(id) as { recorded_at: string };
          const earlier = new Date(Date.parse(recorded_at) - 3600_000).toISOString();
          db.prepare('UPDATE entries SET recorded_at = ? WHERE ceremony_id = ? AND seq = 5').run(earlier, id);
        },
        entries: 8,
        seq: 5,
        reason: EDITED,
      },
    ];

    it.each(cases.map((c) => [c.name, c] as const))(
      '%s: NOT VERIFIED with the first bad seq and why; the untouched ceremony still verifies; appending does not heal it',
      async (_name, c) => {
        const dataDir = copyOfFixture();
        tamper(dataDir, (db) => c.edit(db, fx.open));
        const app = await openApp(chromium(), dataDir);
        try {
          const { page } = app;
          await openJournalView(page);
          await expect.poll(() => page.getByTestId('journal-ceremony').count(), WAIT).toBe(2);
          const bad = (await row(page, fx.open).textContent())!;
          const prefix = `${fx.open}: ${c.entries} entries, NOT VERIFIED (seq ${c.seq}: `;
          expect(bad.startsWith(prefix), bad).toBe(true);
          expect(bad.endsWith(')'), bad).toBe(true);
          expect(bad.slice(prefix.length, -1)).toMatch(c.reason);
          expect(bad).not.toMatch(STACKISH);
          expect(await row(page, fx.aborted).textContent()).toBe(`${fx.aborted}: 9 entries, verified`);
          // The view and main agree: the status the window was given is the journal's own verdict.
          const status = (await rawInvoke(page, 'journal:status', [])) as {
            ok: true;
            value: { ceremonies: Array<{ ceremony_id: string; verified: boolean; problem: string | null }> };
          };
          expect(status.value.ceremonies.find((x) => x.ceremony_id === fx.open)).toMatchObject({
            verified: false,
            problem: `seq ${c.seq}: ${bad.slice(prefix.length, -1)}`,
          });
          expect(app.core.journal.verify(fx.open)).toMatchObject({ ok: false, seq: c.seq });
          await screenshot(
            page,
            `tamper-seq${c.seq}-${c.name
              .toLowerCase()
              .replace(/[^a-z0-9]+/g, '-')
              .slice(0, 40)
              .replace(/-+$/, '')}`,
          );

          // A correction appended on top of the broken chain goes in, chained to the recorded head,
          // and changes nothing about the verdict: the chain stays broken at the same seq.
          await backToCeremony(page);
          await resumeTheOnly(page);
          await addNoteByKeyboard(page, 'DRILL: a note written after the journal was tampered with');
          await expect.poll(() => app.core.journal.storedCount(fx.open), WAIT).toBe(c.entries + 1);
          await openJournalView(page);
          const after = `${fx.open}: ${c.entries + 1} entries, NOT VERIFIED (seq ${c.seq}: `;
          await expect.poll(() => row(page, fx.open).textContent(), WAIT).toContain(after);
          expect((await row(page, fx.open).textContent())!.slice(after.length, -1)).toMatch(
            c.reasonAfterAppend ?? c.reason,
          );
          expect(await row(page, fx.aborted).textContent()).toBe(`${fx.aborted}: 9 entries, verified`);
          expect(app.core.journal.verify(fx.open)).toMatchObject({ ok: false, seq: c.seq });
          expect(app.blocked).toEqual([]);
        } finally {
          await app.close();
        }
      },
    );

    it('a tampered ceremony is resumed with the problem on screen, and takes nothing but notes: no second SSO try, no re-lock', async () => {
      for (const [deleted, seq] of [
        ['sso_probe', 3],
        ['step_locked', 2],
      ] as const) {
        const dataDir = copyOfFixture();
        tamper(
          dataDir,
          (db) => void db.prepare('DELETE FROM entries WHERE ceremony_id = ? AND seq = ?').run(fx.open, seq),
        );
        const app = await openApp(chromium(), dataDir);
        try {
          const { page } = app;
          await resumeTheOnly(page);
          // The resumed ceremony says, on its own screen, that its journal does not verify.
          await expect
            .poll(() => page.getByTestId('journal-tampered').textContent(), WAIT)
            .toContain(`does not verify at seq ${seq}`);
          expect(await page.getByTestId('journal-tampered').getAttribute('role')).toBe('alert');
          const checkpointsBefore = app.core.journal.checkpoints(fx.open).length;
          const headBefore = app.core.journal.head(fx.open);
          const attempts: Array<[string, unknown]> =
            deleted === 'sso_probe'
              ? [['ceremony:probeSso', {}]]
              : [
                  [
                    'ceremony:selectScenario',
                    { ...SSO_DOWN(app.core.clock(), 'INC-DRILL-003'), reason: 'DRILL: a rewritten reason' },
                  ],
                  ['ceremony:lockStep', { step: 'scenario' }],
                ];
          for (const [channel, args] of attempts) {
            const result = (await rawInvoke(page, channel, [fx.open, args])) as {
              ok: boolean;
              error?: { code: string; message: string };
            };
            expect(result, channel).toMatchObject({ ok: false, error: { code: 'journal-tampered' } });
            expect(result.error!.message, channel).not.toMatch(STACKISH);
            const verdict = app.core.journal.verify(fx.open);
            expect(verdict, `${deleted}: after ${channel}`).toMatchObject({ ok: false, seq });
          }
          expect(app.core.journal.head(fx.open)).toEqual(headBefore);
          expect(app.core.journal.checkpoints(fx.open)).toHaveLength(checkpointsBefore);
          // Every checkpoint a tap added signs the recorded head, and the chain to it is still broken.
          for (const cp of app.core.journal.checkpoints(fx.open).slice(checkpointsBefore)) {
            expect(app.core.journal.entries(fx.open).find((e) => e.seq === cp.seq)?.hash).toBe(cp.head_hash);
          }
          await openJournalView(page);
          await expect
            .poll(() => row(page, fx.open).textContent(), WAIT)
            .toMatch(new RegExp(`NOT VERIFIED \\(seq ${seq}: seq ${seq} is missing`));
          expect(await row(page, fx.aborted).textContent()).toBe(`${fx.aborted}: 9 entries, verified`);
          await screenshot(page, `tamper-${deleted}-deleted-then-continued`);
        } finally {
          await app.close();
        }
      }
    });

    it('export of a tampered ceremony is refused in the window with a plain reason, and writes nothing', async () => {
      const dataDir = copyOfFixture();
      tamper(dataDir, (db) => {
        const { payload } = db
          .prepare('SELECT payload FROM entries WHERE ceremony_id = ? AND seq = 1')
          .get(fx.aborted) as { payload: string };
        db.prepare('UPDATE entries SET payload = ? WHERE ceremony_id = ? AND seq = 1').run(
          payload.replace('INC-DRILL-003', 'INC-DRILL-004'),
          fx.aborted,
        );
      });
      const app = await openApp(chromium(), dataDir);
      try {
        const { page } = app;
        // The window opens on the start screen; open the aborted one from there.
        expect(await heading(page).textContent()).toContain('Break glass');
        await expect.poll(() => page.getByTestId('aborted-list').textContent(), WAIT).toContain(fx.aborted);
        await press(page.getByTestId(`open-aborted-${fx.aborted}`));
        await expect.poll(() => heading(page).textContent(), WAIT).toContain('Ceremony aborted');

        await press(page.getByTestId('export'));
        const refusal = page.getByTestId('refusal');
        await expect.poll(() => refusal.isVisible(), WAIT).toBe(true);
        expect(await refusal.getAttribute('role')).toBe('alert');
        expect(await refusal.getAttribute('data-code')).toBe('journal-tampered');
        const text = (await refusal.textContent())!;
        expect(text).toBe(
          `Refused. The journal of ${fx.aborted} does not verify at seq 1: hash does not match the entry's contents: the entry was edited. Export refused.`,
        );
        expect(text).not.toMatch(STACKISH);
        expect(await page.getByTestId('exported').count()).toBe(0);
        const exportsDir = path.join(dataDir, EXPORTS_DIR);
        expect(existsSync(exportsDir) ? readdirSync(exportsDir) : []).toEqual([]);
        await screenshot(page, 'tamper-export-refused');

        // The refusal is about that ceremony only: the untouched one in the same file exports.
        expect(await rawInvoke(page, 'ceremony:export', [fx.open])).toMatchObject({
          ok: true,
          value: { bundle_path: path.join(exportsDir, `${fx.open}.bundle.json`) },
        });
        expect(readdirSync(exportsDir).filter((f) => f.includes(fx.aborted))).toEqual([]);
      } finally {
        await app.close();
      }
    });

    it('a 25,000-entry journal verifies in the view, and a tamper deep inside it is found', async () => {
      const N = 25_000;
      const BIG = 'bg-20261121-large001';
      const dataDir = copyOfFixture();
      const app = await openApp(chromium(), dataDir);
      try {
        const { journal } = app.core;
        journal.db.pragma('synchronous = OFF');
        journal.db.transaction(() => {
          for (let i = 0; i < N; i++) journal.append(BIG, 'note', { text: `entry ${i}` });
        })();
        journal.db.pragma('synchronous = FULL');
        app.core.events.emit('journal:changed', { ceremony_id: BIG, seq: N - 1 });
        const { page } = app;
        await openJournalView(page);
        await expect
          .poll(() => row(page, BIG).textContent(), { timeout: 30_000 })
          .toBe(`${BIG}: ${N} entries, verified`);
        expect(await row(page, fx.open).textContent()).toBe(`${fx.open}: 8 entries, verified`);
        expect(await row(page, fx.aborted).textContent()).toBe(`${fx.aborted}: 9 entries, verified`);
        await screenshot(page, 'tamper-large-verified');
      } finally {
        await app.close();
      }

      // Both damages sit many pages deep (verification reads 1000 entries a page), one of them on a
      // page boundary.
      const deep = 20_000;
      const damages: Array<[string, string, number, RegExp]> = [
        [
          'payload edited deep inside',
          `UPDATE entries SET payload = '{"text":"entry X"}' WHERE ceremony_id = '${BIG}' AND seq = ${deep + 123}`,
          deep + 123,
          EDITED,
        ],
        [
          'entry deleted on a page boundary',
          `DELETE FROM entries WHERE ceremony_id = '${BIG}' AND seq = ${deep}`,
          deep,
          new RegExp(`^seq ${deep} is missing \\(next entry found is seq ${deep + 1}\\)`),
        ],
      ];
      for (const [what, sql, seq, reason] of damages) {
        const copy = tempDir();
        cpSync(dataDir, copy, { recursive: true });
        tamper(copy, (db) => db.exec(sql));
        const reopened = await openApp(chromium(), copy);
        try {
          const { page } = reopened;
          await openJournalView(page);
          const expectedEntries = what.startsWith('entry deleted') ? N - 1 : N;
          const prefix = `${BIG}: ${expectedEntries} entries, NOT VERIFIED (seq ${seq}: `;
          await expect.poll(() => row(page, BIG).textContent(), { timeout: 30_000 }).toContain(prefix);
          expect((await row(page, BIG).textContent())!.slice(prefix.length, -1), what).toMatch(reason);
          expect(await row(page, fx.open).textContent()).toBe(`${fx.open}: 8 entries, verified`);
          expect(await row(page, fx.aborted).textContent()).toBe(`${fx.aborted}: 9 entries, verified`);
          await screenshot(page, `tamper-large-${seq}`);
        } finally {
          await reopened.close();
        }
      }
    }, 120_000);

    describe('a journal file that is not a journal', () => {
      /** Everything in the directory, byte for byte. */
      const snapshot = (dir: string) =>
        Object.fromEntries(
          readdirSync(dir)
            .sort()
            .map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]),
        );

      it('not SQLite at all: refused with a plain one-line reason naming the file; nothing in the directory changes', async () => {
        const dataDir = tempDir();
        const file = path.join(dataDir, DATABASE_FILE);
        writeFileSync(file, 'these are my notes, not a database\n');
        const before = snapshot(dataDir);
        const error = await openApp(chromium(), dataDir).then(
          async (app) => {
            await app.close();
            throw new Error('the app opened a file that is not a journal');
          },
          (e: unknown) => e,
        );
        // The Electron entry point shows this message in an error box and exits 1 (test/main/app-startup.test.ts).
        expect(error).toBeInstanceOf(DatabaseOpenError);
        expect((error as Error).message).toBe(
          `${file} is not a Breakglass journal (not an SQLite database). Nothing was changed.`,
        );
        expect(snapshot(dataDir)).toEqual(before);
      });

      it('truncated at a page boundary: refused as damaged; nothing in the directory changes', async () => {
        const dataDir = copyOfFixture();
        const file = path.join(dataDir, DATABASE_FILE);
        expect(fx.bytes.length % 4096).toBe(0);
        writeFileSync(file, fx.bytes.subarray(0, Math.floor(fx.bytes.length / 2 / 4096) * 4096));
        const before = snapshot(dataDir);
        const error = await openApp(chromium(), dataDir).then(
          async (app) => {
            await app.close();
            throw new Error('the app opened a truncated journal');
          },
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DatabaseOpenError);
        const message = (error as Error).message;
        expect(message).toContain(file);
        expect(message).toMatch(/is damaged or not a Breakglass journal \(.+\)\. Nothing was changed\.$/);
        expect(message).not.toContain('\n');
        expect(snapshot(dataDir)).toEqual(before);
      });

      it('truncated inside its last page: refused unopened as cut short; nothing in the directory changes', async () => {
        const dataDir = copyOfFixture();
        const file = path.join(dataDir, DATABASE_FILE);
        writeFileSync(file, fx.bytes.subarray(0, fx.bytes.length - 100));
        const before = snapshot(dataDir);
        const error = await openApp(chromium(), dataDir).then(
          async (app) => {
            await app.close();
            throw new Error('the app opened a journal cut short');
          },
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DatabaseOpenError);
        expect((error as Error).message).toBe(
          `The journal at ${file} is damaged: ${fx.bytes.length - 100} bytes is not a whole number of 4096-byte pages, so it was cut short. Restore it from a copy; nothing was changed.`,
        );
        expect(snapshot(dataDir)).toEqual(before);
      });
    });
  },
);
