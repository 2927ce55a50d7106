import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/db/open-database';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press } from './support/core';
import { heading } from './support/screen';
import { atEverySize, openFromStart, rootCeremonyAt } from './support/ui';

/** Issue 15, points 1 and 9: the operator chooses on start; the mode is loud and sticky; no dead ends. */
describe.runIf(chromiumAvailable())('start, mode and dead ends (real core, three sizes, axe clean)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('opens on the start screen, never inside a 30-day-old unfinished drill; the drill is listed with its age', async () => {
    const dataDir = tempDir();
    const { clock, advanceMinutes } = movableClock();
    advanceMinutes(-30 * 24 * 60);
    const old = await openApp(chromium(), dataDir, { clock });
    const id = await rootCeremonyAt(old, 'notify');
    await old.close();

    const app = await openApp(chromium(), dataDir);
    try {
      const { page } = app;
      expect(await heading(page).textContent()).toContain('Break glass');
      expect(await page.getByTestId('witness-notify').count()).toBe(0);
      await expect
        .poll(() => page.getByTestId(`unfinished-${id}`).textContent())
        .toMatch(/Resume DRILL root-login.*30 days ago/);
      expect(await page.getByTestId('bar-step').textContent()).toBe('Start — nothing recorded yet');
      await atEverySize(page);
      await openFromStart(page, id);
      await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
      expect(await page.getByTestId('bar-step').textContent()).toBe('Step 3 of 7: Notify the founders before invoking');
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });

  it('marks LIVE as loudly as DRILL, and the mode and step stay in view at every size', async () => {
    const app = await openApp(chromium(), tempDir(), { drillOnly: false });
    try {
      const { page } = app;
      await expect.poll(() => page.getByTestId('mode-bar').getAttribute('data-mode')).toBe('live');
      expect(await page.getByTestId('live-banner').textContent()).toContain('LIVE');
      await atEverySize(page, async () => {
        expect(await page.getByTestId('live-banner').isVisible()).toBe(true);
      });
      await press(page.getByTestId('mode-drill'));
      await expect.poll(() => page.getByTestId('mode-bar').getAttribute('data-mode')).toBe('drill');
      expect(await page.getByTestId('live-banner').count()).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('with no key enrolled, start waits and offers the enrolment on the same screen', async () => {
    const app = await openApp(chromium(), tempDir());
    try {
      const { page } = app;
      await expect.poll(() => page.getByTestId('start-needs-key').isVisible()).toBe(true);
      expect(await page.getByTestId('start').isDisabled()).toBe(true);
      await atEverySize(page);
      await press(page.getByTestId('enrol-primary'));
      await expect.poll(() => page.getByTestId('start').isDisabled(), { timeout: 15_000 }).toBe(false);
      expect(app.core.journal.ceremonies()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a bad configuration and a tampered journal each say what to do next', async () => {
    const bad = tempDir();
    writeFileSync(path.join(bad, 'config.yaml'), 'version: 1\nprincipals: []\n');
    const app = await openApp(chromium(), bad);
    try {
      await expect.poll(() => app.page.getByTestId('next-step').textContent()).toMatch(/breakglass config --check/);
      await atEverySize(app.page);
    } finally {
      await app.close();
    }
    const dataDir = tempDir();
    const first = await openApp(chromium(), dataDir);
    const id = await rootCeremonyAt(first, 'sign_in');
    await first.close();
    // Someone with file access edits the evidence (the append-only triggers dropped first).
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_gapless;');
    db.prepare(
      "UPDATE entries SET payload = replace(payload, 'INC-DRILL-002', 'INC-DRILL-999') WHERE ceremony_id = ?",
    ).run(id);
    db.close();
    const second = await openApp(chromium(), dataDir);
    try {
      await openFromStart(second.page, id);
      await expect.poll(() => second.page.getByTestId('journal-tampered').textContent()).toMatch(/Next:/);
      await atEverySize(second.page);
    } finally {
      await second.close();
    }
  });
});
