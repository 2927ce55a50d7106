import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press } from './support/core';
import { rail } from './support/screen';
import { SSO_DOWN } from './support/scenarios';
import { atEverySize, openFromStart, rootCeremonyAt, SIZES } from './support/ui';

const ROOT = path.resolve(__dirname, '../..');
/** BREAKGLASS_UI_SHOTS=1 writes docs/ui/ (as ui-tour does); otherwise test-results/ui/. */
const SHOTS = process.env.BREAKGLASS_UI_SHOTS === '1' ? path.join(ROOT, 'docs/ui') : path.join(ROOT, 'test-results/ui');

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize(SIZES[0]);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(SIZES[2]);
  await page.screenshot({ path: path.join(SHOTS, `${name}-800x600.png`) });
}

/** Issue 15, point 11: the key light and the touch countdown come from main. */
describe.runIf(chromiumAvailable())('the key light and the touch deadline (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('the key light goes red when the key is pulled out and green when it is back, on main’s word alone', async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    const pill = page.getByTestId('key-status');
    try {
      await app.handlers['key:enrol']({ drill: true, label: 'primary' });
      await expect.poll(() => pill.getAttribute('class'), { timeout: 15_000 }).toContain('ok');
      // Test-only control in the harness's core: the virtual key leaves the device list. Nothing
      // is pushed from the test; the key service notices and main sends key:changed.
      app.plugDrillKey(false);
      await expect.poll(() => pill.getAttribute('class'), { timeout: 15_000 }).toContain('bad');
      expect(await pill.textContent()).toBe('Key: No key plugged in');
      await atEverySize(page, async () => {
        expect(await pill.isVisible()).toBe(true);
        expect(await pill.getAttribute('class')).toContain('bad');
      });
      await shoot(page, '15-key-unplugged');
      app.plugDrillKey(true);
      await expect.poll(() => pill.getAttribute('class'), { timeout: 15_000 }).toContain('ok');
      expect(await pill.textContent()).toBe('Key: VIRTUAL drill key (not hardware)');
      await atEverySize(page, async () => expect(await pill.getAttribute('class')).toContain('ok'));
    } finally {
      await app.close();
    }
  });

  it('the touch prompt counts down from main’s deadline (90 s here), and Escape cancels the tap in main', async () => {
    const dataDir = tempDir();
    const setup = await openApp(chromium(), dataDir);
    const id = await rootCeremonyAt(setup, 'scenario');
    await setup.handlers['ceremony:selectScenario'](id, SSO_DOWN(setup.core.clock()));
    await setup.close();
    // Main's clock stands still (the harness's injected clock) and its transport waits 90 s, not
    // the default 30 s: the prompt must show main's figure, whatever the machine's speed.
    const { clock } = movableClock();
    const app = await openApp(chromium(), dataDir, { drillTouchDelayMs: null, clock, touchTimeoutMs: 90_000 });
    const { page } = app;
    try {
      await openFromStart(page, id);
      await press(page.getByTestId('lock-step'));
      const countdown = page.getByTestId('touch-countdown');
      await expect.poll(() => countdown.isVisible(), { timeout: 15_000 }).toBe(true);
      // What the person reads: main's 90 s, counting down (never the old fixed 30 s).
      const left = Number(/^\((\d+) s left\)$/.exec((await countdown.textContent()) ?? '')?.[1]);
      expect(left).toBeGreaterThan(30);
      expect(left).toBeLessThanOrEqual(90);
      // Exactly main's figure: its clock stood still between the transport's start and its request.
      expect(await countdown.getAttribute('data-timeout-ms')).toBe('90000');
      await atEverySize(page, async () => expect(await countdown.isVisible()).toBe(true));

      // Escape reaches main: the key service aborts the transaction (CTAPHID_CANCEL), the tap
      // fails as "cancelled" (not "not touched"), and the key answers the next tap.
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('touch-prompt').count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => page.getByTestId('refusal').getAttribute('data-code')).toBe('tap-failed');
      expect(await page.getByTestId('refusal').textContent()).toContain('(cancelled)');
      expect(await rail(page, 'scenario').getAttribute('data-status')).toBe('done');
      await press(page.getByTestId('lock-step'));
      await expect.poll(() => page.getByTestId('simulate-touch').isVisible(), { timeout: 15_000 }).toBe(true);
      await press(page.getByTestId('simulate-touch'));
      await expect.poll(() => rail(page, 'scenario').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
    } finally {
      await app.close();
    }
  });
});
