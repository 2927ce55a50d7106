import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press } from './support/core';
import { heading, rail } from './support/screen';
import { SSO_DOWN } from './support/scenarios';
import { atEverySize, openFromStart, rootCeremonyAt } from './support/ui';

/** Issue 15, points 11 and 13. */
describe.runIf(chromiumAvailable())('the touch prompt and the after-care (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('says what the tap signs, counts down, cancels on Escape', async () => {
    const dataDir = tempDir();
    const setup = await openApp(chromium(), dataDir);
    const id = await rootCeremonyAt(setup, 'scenario');
    await setup.handlers['ceremony:selectScenario'](id, SSO_DOWN(setup.core.clock()));
    await setup.close();
    // No automatic touch now: the virtual key waits, as a real one does.
    const app = await openApp(chromium(), dataDir, { drillTouchDelayMs: null });
    const { page } = app;
    try {
      await openFromStart(page, id);
      await press(page.getByTestId('lock-step'));
      const prompt = page.getByTestId('touch-prompt');
      await expect.poll(() => prompt.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.getByTestId('touch-what').textContent()).toContain('The tap signs: locking “Scenario gate”');
      expect(await page.getByTestId('touch-countdown').textContent()).toMatch(/^\(\d+ s left\)$/);
      await atEverySize(page, async () => expect(await prompt.isVisible()).toBe(true));
      await page.keyboard.press('Escape');
      await expect.poll(() => prompt.count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => page.getByTestId('refusal').getAttribute('data-code')).toBe('tap-failed');
      expect(await rail(page, 'scenario').getAttribute('data-status')).toBe('done');
      // The key light when the key is pulled out: ui-key-light-and-deadline.test.ts (from main's key service).
    } finally {
      await app.close();
    }
  });

  it('puts the 24-hour checklist first, the reconciliation apart, and records that the founders heard the final code', async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      const id = await rootCeremonyAt(app, 'aftercare');
      await openFromStart(page, id);
      await expect.poll(() => heading(page).textContent()).toContain('After the glass');
      expect(await page.getByTestId('aftercare-checklist').isVisible()).toBe(true);
      expect(await page.getByTestId('reconcile').count()).toBe(0);
      const final = (await page.getByTestId('witness-final').locator('.witness-words').getAttribute('aria-label'))!;
      await press(page.getByTestId('record-founders-heard'));
      await expect
        .poll(() => page.getByTestId('founders-heard').textContent())
        .toContain('the founders heard the final code');
      const note = app.core.journal.entries(id).at(-1)!;
      expect(note.kind).toBe('note');
      expect(note.payload.text).toContain(final);
      await atEverySize(page);
      await press(page.getByTestId('aftercare-tab-reconcile'));
      await expect.poll(() => page.getByTestId('reconcile').isVisible()).toBe(true);
      expect(await page.getByTestId('aftercare-checklist').count()).toBe(0);
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });
});
