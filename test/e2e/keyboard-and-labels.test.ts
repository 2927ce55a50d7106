// An accessibility and keyboard audit of every screen of a drill root-login ceremony, and of the
// journal view, through the real renderer and the real core: names, headings, focus, the Tab
// sequence, refusals, the progress rail (the checks are in support/a11y-audit.ts). One test per
// screen, each starting from the step before it, reached through the core (support/root-fixture.ts),
// so a problem on one screen hides none of the others.
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { a11yKit, KNOWN } from './support/a11y-audit';
import { active, isActive } from './support/a11y-dom';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press, typeInto } from './support/core';
import { driveRootDrill, type RootStage } from './support/root-fixture';
import { box, heading, resumeTheOnly } from './support/screen';

describe.runIf(chromiumAvailable())(
  'keyboard and labels: every screen of a drill root-login ceremony and the journal view (real renderer, real core)',
  () => {
    const tempDir = useTempDir();
    const chromium = useChromium();

    /** A window on a fresh journal; with a stage, the drill reached through the core and the window on its next step. */
    async function openAt(stage: RootStage | null) {
      const { clock, advanceMinutes } = movableClock();
      const prepare = stage
        ? async (h: Parameters<typeof driveRootDrill>[0]) => void (await driveRootDrill(h, stage, clock))
        : undefined;
      // The start screen's test reads the touch prompt, then touches: its drill key waits for the
      // touch however long the machine takes to show the prompt, rather than touching itself.
      const app = await openApp(
        chromium(),
        tempDir(),
        { clock, ...(stage ? {} : { drillTouchDelayMs: null }) },
        prepare,
      );
      if (stage === 'signed-out') {
        // A signed-out ceremony is listed under "After-care in progress", not as unfinished.
        const openAftercare = app.page.getByRole('button', { name: /^Open after-care of DRILL / });
        await expect.poll(() => openAftercare.count(), { timeout: 15_000 }).toBe(1);
        await press(openAftercare);
      } else if (stage) await resumeTheOnly(app.page);
      return { app, page: app.page, advanceMinutes, ...(await a11yKit(app)) };
    }

    /** Runs one screen's audit on a window opened at `stage`; notes the Tab counts; closes the window. */
    async function screenAt(
      stage: RootStage | null,
      { annotate }: TestContext,
      body: (t: Awaited<ReturnType<typeof openAt>>) => Promise<void>,
    ) {
      const t = await openAt(stage);
      try {
        await body(t);
        expect(t.app.blocked).toEqual([]);
      } finally {
        for (const [problem, where] of t.seen)
          await annotate(
            `known problem ${problem}: ${KNOWN[problem]} — seen at: ${[...new Set(where)].join('; ')}`,
            'warning',
          );
        await annotate(`Tab presses from the heading: ${JSON.stringify(t.tabs)}`, 'notice');
        await t.app.close();
      }
    }

    it('start: names, the journal by keyboard, the drill key enrolled and the ceremony started by Tab and Enter', async (ctx) => {
      await screenAt(null, ctx, async ({ page, regression, audit, reachAndPress, journalByKeyboard }) => {
        await expect.poll(() => page.getByTestId('enrol-primary').isVisible()).toBe(true);
        await audit('start', 'Break glass');
        await journalByKeyboard('start', 'Break glass');
        const modes = page.getByRole('group', { name: 'Real or drill?' });
        expect(await modes.getByRole('radio').count()).toBe(2);
        expect(await page.getByRole('group', { name: 'Which runbook?' }).getByRole('radio').count()).toBe(2);
        await reachAndPress('enrol the drill key', page.getByTestId('enrol-primary'));
        // The touch prompt stays up until the touch (this drill key does not touch itself).
        const prompt = await page.waitForFunction(
          () => {
            const d = document.querySelector('[data-testid=touch-prompt]');
            if (!d) return null;
            const label = document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent ?? '';
            return {
              role: d.getAttribute('role'),
              label: label.trim(),
              focused: document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null,
            };
          },
          undefined,
          { polling: 'raf', timeout: 10_000 },
        );
        expect(await prompt.jsonValue()).toEqual({
          role: 'alertdialog',
          label: 'Touch your key now',
          focused: 'simulate-touch',
        });
        await page.keyboard.press('Enter');
        await expect
          .poll(() => page.getByTestId('enrolled-key').textContent(), { timeout: 15_000 })
          .toContain('primary: virtual key');
        await expect.poll(() => page.getByTestId('touch-prompt').count()).toBe(0);
        // The focus comes back a frame after the call ends (FocusKeeper): wait for it (the poll's
        // default timeout only guards a hang; a focus that never returns is the regression below).
        await expect
          .poll(async () => (await active(page)).tag)
          .not.toBe('BODY')
          .catch(() => undefined);
        if ((await active(page)).tag === 'BODY')
          regression('focusAfterTouch', 'start: after enrolling the primary drill key');
        else expect((await active(page)).visible).toBe(true);
        await reachAndPress('start the drill', page.getByTestId('start'));

        await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      });
    });

    it('1. scenario: refused by the button and by Enter in a field, keeping the focus; recorded and locked by keyboard', async (ctx) => {
      await screenAt('started', ctx, async ({ app, page, audit, reachAndPress, refused }) => {
        await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
        await audit('scenario', '1. Is break-glass authorised?');
        expect(
          await page.getByRole('group', { name: 'Authorised scenario' }).getByRole('radio').count(),
        ).toBeGreaterThan(0);
        const record = page.getByTestId('record-scenario');
        // A refused submit by the button while the core is still deciding: the answer waits until
        // the window has drawn the call in flight (the button disabled, the focus dropped), as a
        // real core's can, however fast or slow this machine is.
        const selectScenario = app.rawHandlers['ceremony:selectScenario'];
        let answer: () => void = () => undefined;
        const answered = new Promise<void>((resolve) => (answer = resolve));
        let held = 0;
        app.rawHandlers['ceremony:selectScenario'] = async (...args) => {
          held += 1;
          await answered;
          return selectScenario(...args);
        };
        await reachAndPress('record the scenario (refused)', record);
        await expect.poll(() => record.isDisabled()).toBe(true);
        answer();
        await refused('scenario (button)', record);
        expect(held, 'the refused submit went through the held core').toBe(1);
        app.rawHandlers['ceremony:selectScenario'] = selectScenario;
        // A refused submit by Enter in a field keeps the focus in the field.
        const reason = box(page, 'One-line reason (goes into the audit row)');
        await typeInto(reason, '.');
        await page.keyboard.press('Enter');
        await refused('scenario (field)', reason);
        // The IdP is a choice and its region comes from the configuration; the time is picked.
        expect(await page.getByRole('radio', { name: 'aws-identity-center' }).isChecked()).toBe(true);
        await typeInto(
          box(page, 'Exact error text'),
          'DRILL: IAM Identity Center portal returns HTTP 503 for every user',
        );
        // The time choices are one radio group: Tab into it, arrows to "3 h ago" (arrows select).
        await reachAndPress(
          'last good SSO login: 15 min ago',
          page.getByTestId('ev-last_good_sso_login_at-ago-15'),
          'Space',
        );
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        expect(await page.getByTestId('ev-last_good_sso_login_at-ago-180').isChecked()).toBe(true);
        await typeInto(box(page, 'SEV-0 incident'), 'INC-DRILL-001');
        await typeInto(reason, 'DRILL: production database failover needs AWS API access now');
        // Recorded and locked with the tap in one action.
        await reachAndPress('record and lock the scenario', record);
        await expect
          .poll(() => page.getByTestId('rail-scenario').getAttribute('data-status'), { timeout: 15_000 })
          .toBe('locked');
      });
    });

    it('2. SSO: the one try by Tab and Enter', async (ctx) => {
      await screenAt('scenario', ctx, async ({ page, audit, reachAndPress }) => {
        await expect.poll(() => heading(page).textContent()).toContain('2. Confirm SSO');
        await audit('sso', '2. Confirm SSO is unavailable');
        await reachAndPress('try SSO once', page.getByTestId('probe-sso'));

        await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
      });
    });

    it('3. notify: one press per founder, the focus on the next founder, the last one locks', async (ctx) => {
      await screenAt('sso', ctx, async ({ page, audit, reachAndPress, focusAfterButton }) => {
        await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
        await audit('notify', '3. Notify the founders before invoking');
        const code = (await page.getByTestId('witness-notify').locator('.witness-words').getAttribute('aria-label'))!;
        expect(code).toMatch(/^[a-z]+ [a-z]+ [a-z]+ [a-z]+ \d+$/);
        // One press per founder; the last one also locks the step with the tap.
        await reachAndPress('acknowledged (asad)', page.getByTestId('acked-asad'));
        await expect
          .poll(() => page.getByTestId('founder-asad').getByTestId('founder-status').textContent())
          .toContain(`code given: ${code}`);
        await focusAfterButton('notify (asad)');
        // The next action (Ian's acknowledgement) has the focus.
        await expect.poll(() => isActive(page.getByTestId('acked-ian'))).toBe(true);
        await audit('notify, one recorded', '3. Notify the founders before invoking', { headingFocused: false });
        await reachAndPress('acknowledged (ian), record and lock', page.getByTestId('acked-ian'));
        await expect
          .poll(() => page.getByTestId('rail-notify').getAttribute('data-status'), { timeout: 15_000 })
          .toBe('locked');
      });
    });

    it('4. sign in: the accounts table, one button per account, a refused IP keeps the focus', async (ctx) => {
      await screenAt('notified', ctx, async ({ app, page, audit, reachAndPress, refused }) => {
        await expect.poll(() => heading(page).textContent()).toContain('4. Sign in');
        await audit('sign in', '4. Sign in to the AWS console');
        const accounts = page.getByTestId('accounts');
        expect((await accounts.locator('caption').textContent())!.trim()).not.toBe('');
        expect(await accounts.locator('thead th[scope=col]').count()).toBe(await accounts.locator('thead th').count());
        expect(await accounts.locator('thead th').count()).toBeGreaterThanOrEqual(3);
        // One button per account: it selects the account and opens the console (a drill opens nothing).
        await reachAndPress('use Production', page.getByTestId('open-console-Production'));
        await expect.poll(() => page.getByTestId('selected-account').textContent()).toContain('039624954211');
        expect(await page.getByTestId('console-opened').getAttribute('role')).toBe('status');
        expect(app.opened).toEqual([]);
        // The next action has the focus.
        await expect.poll(() => isActive(page.getByTestId('record-sign-in'))).toBe(true);
        await page.keyboard.press('Shift+Tab');
        await page.locator('summary', { hasText: 'IP address and browser (optional)' }).press('Enter');
        const ip = box(page, 'Your current IP address (optional)');
        await typeInto(ip, 'not-an-ip');
        await page.keyboard.press('Enter');
        await refused('sign in (field)', ip);
        await typeInto(ip, '203.0.113.7');
        await audit('sign in, account chosen', '4. Sign in to the AWS console', { headingFocused: false });
        await reachAndPress('record and lock the sign-in', page.getByTestId('record-sign-in'));
        await expect
          .poll(() => page.getByTestId('rail-sign_in').getAttribute('data-status'), { timeout: 15_000 })
          .toBe('locked');
      });
    });

    it('5. audit row: a refused channel keeps the focus; written and locked by keyboard', async (ctx) => {
      await screenAt('signed-in', ctx, async ({ page, audit, reachAndPress, refused }) => {
        await expect.poll(() => heading(page).textContent()).toContain('5. Write the agent_audit_log row');
        await audit('audit row', '5. Write the agent_audit_log row');
        expect(await page.getByRole('spinbutton', { name: 'Expected session duration (minutes)' }).count()).toBe(1);
        const channel = box(page, 'Incident channel');
        await typeInto(channel, 'slack');
        await page.keyboard.press('Enter');
        await refused('audit row (field)', channel);
        await typeInto(page.getByLabel('Expected session duration (minutes)', { exact: true }), '10');
        await typeInto(channel, 'NA');
        await reachAndPress('write and lock the audit row', page.getByTestId('write-audit-row'));
        await expect
          .poll(() => page.getByTestId('rail-audit_row').getAttribute('data-status'), { timeout: 15_000 })
          .toBe('locked');
      });
    });

    it('6. minimal action: Enter keeps the focus; the timer and anti-patterns say their level in words', async (ctx) => {
      await screenAt('audit-row', ctx, async ({ page, advanceMinutes, regression, audit, reachAndPress, refused }) => {
        await expect.poll(() => heading(page).textContent()).toContain('6. Minimal action only');
        const actionField = box(page, 'What you ran or did (Enter records it)');
        await audit('minimal action', '6. Minimal action only');
        expect(await page.getByRole('timer').count()).toBe(1);
        expect(
          (await page.getByTestId('timer').locator('.timer-words').textContent())!.trim(),
          'the timer says its level in words',
        ).toBe('within the expected time');
        await typeInto(actionField, 'ran: aws ec2 terminate-instances --instance-ids i-0abc');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('ec2:TerminateInstances');
        expect(await isActive(actionField), 'minimal action: Enter in the field keeps the focus there').toBe(true);
        advanceMinutes(11);
        await typeInto(actionField, 'ran: aws iam create-access-key --user-name temp-admin');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').locator('.anti-pattern').count()).toBeGreaterThan(0);
        // The warning is said with its level, in words, in the log and in the warnings above the screen.
        expect(
          await page.getByTestId('action-log').locator('.anti-pattern').first().textContent(),
          'an anti-pattern says its level in words',
        ).toMatch(/^Must fix: /);
        expect(await page.getByTestId('core-warnings').getAttribute('aria-label')).toBe('Warnings');
        await expect.poll(() => page.getByTestId('timer').getAttribute('data-level')).toBe('warning');
        expect(
          (await page.getByTestId('timer').locator('.timer-words').textContent())!,
          'the timer level is said in words, not only colour',
        ).toContain('over the expected time');
        const announced = await page.evaluate(() =>
          Array.from(
            document.querySelectorAll('[role=alert],[role=status],[aria-live=polite],[aria-live=assertive]'),
          ).some((el) => el.getAttribute('aria-live') !== 'off' && /over the expected time/.test(el.textContent ?? '')),
        );
        if (!announced)
          regression(
            'timerLevelSilent',
            `minimal action: timer ${(await page.getByTestId('timer').getAttribute('aria-live')) === 'off' ? 'aria-live="off"' : 'not live'}, level warning`,
          );
        const summary = box(page, 'One-line summary of what was done');
        await typeInto(summary, 'x');
        await page.keyboard.press('Enter');
        await refused('minimal action (field)', summary);
        await typeInto(summary, 'DRILL: terminated the runaway instance i-0abc');
        await reachAndPress('the minimal action is done', page.getByTestId('finish-action'));

        await expect.poll(() => heading(page).textContent()).toContain('7. Sign out');
      });
    });

    it('7. sign out: recorded and locked by keyboard', async (ctx) => {
      await screenAt('minimal-action', ctx, async ({ page, audit, reachAndPress }) => {
        await expect.poll(() => heading(page).textContent()).toContain('7. Sign out');
        await audit('sign out', '7. Sign out');
        const back = box(page, 'Expected return to normal');
        await typeInto(back, 'DRILL: SSO expected back by 14:00 UTC');
        await reachAndPress('record and lock the sign-out', page.getByTestId('record-sign-out'));

        await expect.poll(() => heading(page).textContent(), { timeout: 15_000 }).toContain('After the glass');
      });
    });

    it('after the glass: export by keyboard, a refused evidence keeps the focus, the checklist and the journal by keyboard', async (ctx) => {
      await screenAt('signed-out', ctx, async ({ page, audit, reachAndPress, refused, journalByKeyboard }) => {
        await expect.poll(() => heading(page).textContent(), { timeout: 15_000 }).toContain('After the glass');
        await audit('after-care', 'After the glass');
        await reachAndPress('export the bundle', page.getByTestId('export'));
        await expect.poll(() => page.getByTestId('exported').isVisible()).toBe(true);
        expect(
          await page
            .getByRole('textbox', { name: 'Session log (edit, then commit it under docs/session-log/)' })
            .count(),
        ).toBe(1);
        const item = page.getByTestId('check-root.session-log');
        const evidence = item.getByRole('textbox', { name: /^Evidence \(/ });
        await typeInto(evidence, 'x');
        await page.keyboard.press('Enter');
        await refused('after-care (field)', evidence);
        await typeInto(evidence, 'DRILL: session log committed as docs/session-log/drill.md');
        await page.keyboard.press('Enter');
        await expect.poll(() => item.getAttribute('data-state')).toBe('done');
        expect(
          (await item.locator('.check-state').textContent())!.trim(),
          'a checklist item says its state in words',
        ).toBe('done');
        await audit('after-care, evidence recorded', 'After the glass', { headingFocused: false });
        await journalByKeyboard('after-care', 'After the glass');
        expect(await page.getByTestId('rail-aftercare').locator('.rail-status').textContent()).toBe('now');
      });
    });

    // The problems found and not fixed yet, one by one: they are product fixes, not test changes.
    for (const text of Object.values(KNOWN)) it.todo(text);
  },
);
