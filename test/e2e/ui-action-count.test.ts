import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, typeInto } from './support/core';
import { heading, rail } from './support/screen';
import { atEverySize } from './support/ui';

/** The target of issue 15 point 3: start to "console opened", SSO-down scenario, taps not counted. */
const MAX_ACTIONS = 10;

/** Issue 15, points 3 and 14: few actions to the console; a drill never opens the real AWS page. */
describe.runIf(chromiumAvailable())(
  'SSO down: from start to "console opened" (real core, drill key taps itself)',
  () => {
    const tempDir = useTempDir();
    const chromium = useChromium();

    it(`takes at most ${MAX_ACTIONS} actions plus the taps, and the drill opens no AWS page`, async () => {
      const app = await openApp(chromium(), tempDir());
      const { page } = app;
      // Every press and every field typed into is one action; waiting is not.
      const actions: string[] = [];
      const act = async (what: string, locator: Locator) => {
        actions.push(what);
        await press(locator);
      };
      const type = async (what: string, locator: Locator, text: string) => {
        actions.push(what);
        await typeInto(locator, text);
      };
      try {
        await app.handlers['key:enrol']({ drill: true, label: 'primary' }); // enrolled before the incident
        await expect.poll(() => page.getByTestId('start').isDisabled()).toBe(false);
        await act('start', page.getByTestId('start'));
        await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');

        // SSO down is the first scenario; the IdP and its region are known from the configuration.
        expect(await page.getByTestId('scenario-sso-down').isChecked()).toBe(true);
        expect(await page.getByRole('textbox', { name: 'IdP region' }).inputValue()).toBe('us-east-1');
        await type(
          'error text',
          page.getByRole('textbox', { name: 'Exact error text' }),
          'DRILL: the SSO portal answers 503 for everyone',
        );
        await act('last good login: 1 h ago', page.getByTestId('ev-last_good_sso_login_at-ago-60'));
        await type('incident', page.getByRole('textbox', { name: 'SEV-0 incident' }), 'INC-DRILL-015');
        await type(
          'reason',
          page.getByRole('textbox', { name: 'One-line reason (goes into the audit row)' }),
          'DRILL: failover needs AWS API access now',
        );
        await act('record and lock', page.getByTestId('record-scenario'));
        await expect.poll(() => rail(page, 'scenario').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');

        await act('try SSO once', page.getByTestId('probe-sso'));
        await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
        await act('Asad acknowledged', page.getByTestId('acked-asad'));
        await expect
          .poll(() => page.getByTestId('founder-asad').getByTestId('founder-status').textContent())
          .toContain('acknowledged');
        await act('Ian acknowledged, lock', page.getByTestId('acked-ian'));
        await expect.poll(() => rail(page, 'notify').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');

        await expect.poll(() => heading(page).textContent()).toContain('4. Sign in');
        await act('console for Production', page.getByTestId('open-console-Production'));
        await expect
          .poll(() => page.getByTestId('console-opened').textContent())
          .toContain('DRILL: the AWS console was not opened');

        expect(actions.length, actions.join(', ')).toBeLessThanOrEqual(MAX_ACTIONS);
        // Point 14: a drill never sends anyone to the real AWS sign-in page.
        expect(app.opened).toEqual([]);
        expect(app.blocked).toEqual([]);
        await atEverySize(page);
      } finally {
        await app.close();
      }
    });
  },
);
