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
  await press(page.getByTestId('lock-step'));
  await expect.poll(() => rail(page, step).getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
}

/** Both founders told and acknowledged from the keyboard; returns the witness code they were given. */
export async function notifyFounders(page: Page): Promise<string> {
  const code = (await page.getByTestId('witness-notify').locator('.witness-words').getAttribute('aria-label'))!;
  expect(code).toMatch(/^[a-z]+ [a-z]+ [a-z]+ [a-z]+ \d+$/);
  for (const founder of ['asad', 'ian']) {
    await press(page.getByTestId(`ack-${founder}`));
    await press(page.getByTestId(`notify-${founder}`));
    await expect.poll(() => page.getByTestId(`founder-${founder}`).getByTestId('founder-status').textContent()).toContain(`code given: ${code}`);
  }
  return code;
}
