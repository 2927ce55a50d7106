import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { press } from './core';

/** The step's entry on the progress rail. */
export const rail = (page: Page, step: string) => page.getByTestId(`rail-${step}`);
/** The current screen's heading. */
export const heading = (page: Page) => page.locator('h1').first();
/** A text field by its exact accessible name. */
export const box = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });

/** Presses "Lock with key tap" (the drill key answers) and waits until the rail says locked. */
export async function lockStep(page: Page, step: string): Promise<void> {
  // Recording a step now locks it with the tap in the same action: then there is nothing to press.
  if ((await rail(page, step).getAttribute('data-status')) === 'locked') return;
  await expect.poll(() => page.getByTestId('lock-step').isEnabled(), { timeout: 15_000 }).toBe(true);
  await press(page.getByTestId('lock-step'));
  await expect.poll(() => rail(page, step).getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
}

/** Both founders told and acknowledged from the keyboard (the step locks); returns the witness code they were given. */
export async function notifyFounders(page: Page): Promise<string> {
  const code = (await page.getByTestId('witness-notify').locator('.witness-words').getAttribute('aria-label'))!;
  expect(code).toMatch(/^[a-z]+ [a-z]+ [a-z]+ [a-z]+ \d+$/);
  // One press per founder ("acknowledged"); the last one also locks the step with the tap.
  await press(page.getByTestId('acked-asad'));
  await expect
    .poll(() => page.getByTestId('founder-asad').getByTestId('founder-status').textContent())
    .toContain(`code given: ${code}`);
  await press(page.getByTestId('acked-ian'));
  await expect.poll(() => rail(page, 'notify').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
  return code;
}

/**
 * The window opens on the start screen (issue 15: never straight into an unfinished ceremony);
 * this resumes the one unfinished ceremony listed there, as the person would.
 */
export async function resumeTheOnly(page: Page): Promise<void> {
  await page.waitForSelector('html[data-ready="true"]');
  await expect.poll(() => page.getByTestId('resume').count(), { timeout: 15_000 }).toBe(1);
  await press(page.getByTestId('resume'));
  await expect
    .poll(() => page.locator('main section.screen').getAttribute('data-screen'), { timeout: 15_000 })
    .not.toBe('start');
}
