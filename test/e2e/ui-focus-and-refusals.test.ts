import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, typeInto } from './support/core';
import { box, heading } from './support/screen';
import { atEverySize, openFromStart, rootCeremonyAt } from './support/ui';

const isFocused = (el: Element) => el === document.activeElement;
const inView = (el: Element) => {
  const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight;
};

/** Issue 15, points 4, 5 and 6. */
describe.runIf(chromiumAvailable())('after a record, refusals, and what counts as a secret (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('moves the focus to the next action after a record, and a repeated submit records nothing', async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      const id = await rootCeremonyAt(app, 'notify');
      await openFromStart(page, id);
      await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
      await page.setViewportSize({ width: 800, height: 600 });
      // Asad was texted and has not answered yet: recorded from the "no answer" form.
      const asad = page.getByTestId('founder-asad');
      await asad.locator('summary').click();
      await press(page.getByTestId('notify-asad'));
      await expect.poll(() => asad.getByTestId('founder-status').textContent()).toContain('NOT acknowledged yet');
      // The next action has the focus, in view: Asad's acknowledgement when it comes.
      const next = page.getByTestId('acked-asad');
      await expect.poll(() => next.evaluate(isFocused)).toBe(true);
      expect(await next.evaluate(inView)).toBe(true);
      // The same submit again (a second Enter): nothing new in the journal.
      const count = () => app.core.journal.entries(id).filter((e) => e.kind === 'founder_notified').length;
      expect(count()).toBe(1);
      await press(page.getByTestId('notify-asad'));
      await press(page.getByTestId('notify-asad'));
      await expect.poll(() => page.getByTestId('notify-asad').isDisabled()).toBe(false);
      expect(count()).toBe(1);
      // The acknowledgement, when it comes, is recordable.
      await press(next);
      await expect.poll(() => asad.getByTestId('founder-status').textContent()).toContain('acknowledged 2');
      expect(count()).toBe(2);
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });

  it('says a refusal in words next to the field it is about, and highlights the field', async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      const id = await rootCeremonyAt(app, 'scenario');
      await openFromStart(page, id);
      await typeInto(
        box(page, 'One-line reason (goes into the audit row)'),
        'DRILL: failover needs AWS API access now',
      );
      await press(page.getByTestId('record-scenario'));
      await expect.poll(() => page.getByTestId('refusal').isVisible()).toBe(true);
      const text = (await page.getByTestId('refusal').textContent())!;
      expect(text).not.toMatch(/Invalid input|received undefined|select_scenario|argument \d/);
      const errorText = box(page, 'Exact error text');
      expect(await errorText.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await errorText.getAttribute('aria-describedby'))!.split(' ')[0]!;
      expect(await page.locator(`#${describedBy}`).textContent()).toBe('Exact error text: expected text.');
      expect(await page.getByTestId('time-ev-last_good_sso_login_at').getByTestId('field-error').textContent()).toMatch(
        /^Last good SSO login: /,
      );
      expect(app.core.journal.entries(id).map((e) => e.kind)).toEqual(['ceremony_started']);
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });

  it("logs the cleanup runbook's own delete-access-key line; a secret access key is refused and cleared", async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      const id = await rootCeremonyAt(app, 'minimal_action');
      await openFromStart(page, id);
      const field = box(page, 'What you ran or did (Enter records it)');
      const line = 'ran: aws iam delete-access-key --user-name tmp-breakglass --access-key-id AKIAIOSFODNN7EXAMPLE';
      await typeInto(field, line);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('AKIAIOSFODNN7EXAMPLE');
      expect(await page.getByTestId('refusal').count()).toBe(0);
      expect(await field.inputValue()).toBe('');
      // The example secret from AWS's documentation: refused, not kept on screen, nothing journalled.
      const before = app.core.journal.entries(id).length;
      await typeInto(field, 'ran: aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('refusal').textContent()).toContain('secret access key');
      expect(await field.inputValue()).toBe('');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(app.core.journal.entries(id)).toHaveLength(before);
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });
});
