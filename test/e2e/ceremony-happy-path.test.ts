// A drill root-login ceremony through every screen, by keyboard, against the real core: one test
// per screen, each opening the window at the step before it, reached through the core
// (support/root-fixture.ts), so a failure on one screen hides none of the others. The clock stands
// still until a test moves it, so durations on screen are exactly what the test advanced.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERDICT_EXITS } from '../../src-main/cli/verdict-exits';
import { cli } from '../support/run-cli';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press, screenshot, typeInto } from './support/core';
import { driveRootDrill, type RootStage } from './support/root-fixture';
import { box, heading, notifyFounders, rail, resumeTheOnly } from './support/screen';

describe.runIf(chromiumAvailable())('a drill root-login ceremony through every screen, by keyboard (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  /**
   * A window on a fresh journal; with a stage, the drill driven there through the core and the
   * window on the next step. `minutesBeforeOpen` moves the clock after the stage, before the window.
   */
  async function openAt(stage: RootStage | null, { minutesBeforeOpen = 0 } = {}) {
    const dataDir = tempDir();
    const { clock, advanceMinutes } = movableClock();
    const prepare = stage
      ? async (handlers: Parameters<typeof driveRootDrill>[0]) => {
          await driveRootDrill(handlers, stage, clock);
          advanceMinutes(minutesBeforeOpen);
        }
      : undefined;
    const app = await openApp(chromium(), dataDir, { clock }, prepare);
    if (stage === 'signed-out') {
      // A signed-out ceremony is listed under "After-care in progress", not as unfinished.
      const openAftercare = app.page.getByRole('button', { name: /^Open after-care of DRILL / });
      await expect.poll(() => openAftercare.count(), { timeout: 15_000 }).toBe(1);
      await press(openAftercare);
    } else if (stage) await resumeTheOnly(app.page);
    return { app, page: app.page, dataDir, clock, advanceMinutes };
  }

  /** Runs one screen's test on a window opened at `stage`, checks nothing was blocked, closes it. */
  async function at(
    stage: RootStage | null,
    body: (t: Awaited<ReturnType<typeof openAt>>) => Promise<void>,
    options: { minutesBeforeOpen?: number } = {},
  ) {
    const t = await openAt(stage, options);
    try {
      await body(t);
      expect(t.app.blocked).toEqual([]);
    } finally {
      await t.app.close();
    }
  }

  it('start: DRILL everywhere, the example configuration said out loud, the drill key enrolled, the ceremony started', async () => {
    await at(null, async ({ page }) => {
      // Start: DRILL everywhere, the example configuration said out loud, a key to enrol.
      await expect.poll(() => page.getByTestId('drill-banner').textContent()).toContain('DRILL');
      expect(await page.getByTestId('config-notice').textContent()).toContain('built-in example');
      await expect.poll(() => page.getByTestId('enrol-primary').isVisible()).toBe(true);
      await screenshot(page, '00-start');
      await press(page.getByTestId('enrol-primary'));
      await expect
        .poll(() => page.getByTestId('enrolled-key').textContent(), { timeout: 15_000 })
        .toContain('primary: virtual key');
      await press(page.getByTestId('start'));
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      expect(await heading(page).evaluate((el) => el === document.activeElement)).toBe(true);
    });
  });

  it('1. scenario: evidence, not a bare reason; recorded and locked with the tap in one action', async () => {
    await at('started', async ({ page }) => {
      // 1. Scenario gate: evidence, not a bare reason; the NOT-authorised list in view.
      expect(await page.getByTestId('not-authorised').textContent()).toContain('MFA prompt is slow');
      await typeInto(box(page, 'One-line reason (goes into the audit row)'), '.');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('refusal').isVisible()).toBe(true);
      await screenshot(page, '01-scenario-refused');
      // The IdP is a choice (first one preset), its region comes from the configuration, the time is picked.
      expect(await page.getByRole('radio', { name: 'aws-identity-center' }).isChecked()).toBe(true);
      expect(await box(page, 'IdP region').inputValue()).toBe('us-east-1');
      await typeInto(
        box(page, 'Exact error text'),
        'DRILL: IAM Identity Center portal returns HTTP 503 for every user',
      );
      await press(page.getByTestId('ev-last_good_sso_login_at-ago-180'));
      await typeInto(box(page, 'SEV-0 incident'), 'INC-DRILL-001');
      await typeInto(
        box(page, 'One-line reason (goes into the audit row)'),
        'DRILL: production database failover needs AWS API access now',
      );
      await page.keyboard.press('Enter');
      // Recorded and locked with the tap in one action.
      await expect.poll(() => rail(page, 'scenario').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
      await screenshot(page, '01-scenario');
    });
  });

  it("2. SSO: one try, recorded; the drill's outage is simulated and says so", async () => {
    await at('scenario', async ({ page }) => {
      // 2. SSO: one try, recorded; the drill's outage is simulated and says so.
      await expect.poll(() => heading(page).textContent()).toContain('2. Confirm SSO');
      await screenshot(page, '02-sso');
      await press(page.getByTestId('probe-sso'));
      await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
      expect(await page.getByTestId('sso-summary').textContent()).toContain('sso unavailable (DrillSimulatedOutage)');
    });
  });

  it('3. notify: each founder acknowledged against the witness code, the last one locks the step', async () => {
    await at('sso', async ({ page }) => {
      // 3. Notify: each founder with channel and acknowledgement; the witness code, big.
      await screenshot(page, '03-notify');
      await notifyFounders(page);
      await expect.poll(() => heading(page).textContent()).toContain('4. Sign in');
    });
  });

  it('4. sign in: the account table, no AWS console opened in a drill, no secret field, locked', async () => {
    await at('notified', async ({ app, page }) => {
      // 4. Sign in: the account table, the console through main's allowlist, no secret field anywhere.
      await expect.poll(() => heading(page).textContent()).toContain('4. Sign in');
      expect(await page.locator('input[type="password"]').count()).toBe(0);
      expect((await page.locator('main').textContent())!.toLowerCase()).not.toMatch(/mfa code|password:/);
      await press(page.getByTestId('open-console-Production'));
      await expect.poll(() => page.getByTestId('selected-account').textContent()).toContain('039624954211');
      // A drill never opens the real AWS sign-in page.
      expect(await page.getByTestId('console-opened').textContent()).toContain('DRILL: the AWS console was not opened');
      expect(app.opened).toEqual([]);
      // The next action has the focus: "I have signed in".
      await expect
        .poll(() => page.getByTestId('record-sign-in').evaluate((el) => el === document.activeElement))
        .toBe(true);
      await press(page.locator('summary', { hasText: 'IP address and browser (optional)' }));
      await typeInto(box(page, 'Your current IP address (optional)'), '203.0.113.7');
      await screenshot(page, '04-sign-in');
      await page.keyboard.press('Enter');
      await expect.poll(() => rail(page, 'sign_in').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
    });
  });

  it("5. audit row: exactly the runbook's row, locked, shown read-only from the rail", async () => {
    await at('signed-in', async ({ page }) => {
      // 5. The audit row, exactly as the runbook writes it.
      await expect.poll(() => heading(page).textContent()).toContain('5. Write the agent_audit_log row');
      await typeInto(page.getByLabel('Expected session duration (minutes)', { exact: true }), '10');
      await typeInto(box(page, 'Incident channel'), 'NA');
      await page.keyboard.press('Enter');
      // Written and locked in one action; the locked step opens read-only from the rail.
      await expect.poll(() => rail(page, 'audit_row').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
      await press(rail(page, 'audit_row').locator('button'));
      await expect.poll(() => page.getByTestId('audit-row').isVisible()).toBe(true);
      const row = JSON.parse((await page.getByTestId('audit-row').locator('pre').textContent())!) as Record<
        string,
        unknown
      >;
      expect(Object.keys(row).sort()).toEqual([
        'action',
        'actor_id',
        'actor_role',
        'ip_address',
        'metadata',
        'resource_id',
        'resource_type',
        'result',
        'timestamp',
        'user_agent',
      ]);
      expect(row).toMatchObject({
        actor_role: 'break_glass_root',
        action: 'break_glass_root_login',
        resource_type: 'aws_account',
        resource_id: '039624954211',
        ip_address: '203.0.113.7',
        result: 'success',
      });
      expect(row.metadata).toEqual({
        reason: 'DRILL: production database failover needs AWS API access now',
        incident_channel: 'NA',
        expected_session_duration_minutes: 10,
      });
      await screenshot(page, '05-audit-row');
      await press(page.getByRole('button', { name: 'Back to the current step' }));
    });
  });

  it('6. minimal action: parsed operations, anti-patterns, the timer warning past 10 minutes and critical past 15', async () => {
    await at('audit-row', async ({ page, advanceMinutes }) => {
      // 6. Minimal action: parsed service:operation, anti-patterns called out, the timer against 10 minutes.
      await expect.poll(() => heading(page).textContent()).toContain('6. Minimal action only');
      expect(await page.getByTestId('timer').getAttribute('data-level')).toBe('ok');
      await typeInto(
        box(page, 'What you ran or did (Enter records it)'),
        'ran: aws ec2 terminate-instances --instance-ids i-0abc',
      );
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('ec2:TerminateInstances');
      advanceMinutes(11);
      await typeInto(
        box(page, 'What you ran or did (Enter records it)'),
        'ran: aws iam create-access-key --user-name temp-admin',
      );
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('action-log').locator('.anti-pattern').count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('timer').getAttribute('data-level')).toBe('warning');
      advanceMinutes(5);
      await typeInto(
        box(page, 'What you ran or did (Enter records it)'),
        'ran: aws ec2 describe-instances --instance-ids i-0abc',
      );
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('timer').getAttribute('data-level')).toBe('critical');
      await screenshot(page, '06-minimal-action');
      await typeInto(box(page, 'One-line summary of what was done'), 'DRILL: terminated the runaway instance i-0abc');
      await page.keyboard.press('Enter');
      await expect.poll(() => heading(page).textContent()).toContain('7. Sign out');
    });
  });

  it("7. sign out: locked, with the session's 16 minutes as the clock moved them", async () => {
    await at(
      'minimal-action',
      async ({ page }) => {
        // 7. Sign out, lock, and the final witness code for the founders.
        await expect.poll(() => heading(page).textContent()).toContain('7. Sign out');
        await screenshot(page, '07-sign-out');
        await press(page.getByTestId('record-sign-out'));
        await expect.poll(() => rail(page, 'sign_out').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
        await expect.poll(() => page.getByTestId('session-summary').textContent()).toMatch(/session 16(\.\d)? minutes/);
        await expect.poll(() => heading(page).textContent()).toContain('After the glass');
      },
      { minutesBeforeOpen: 16 },
    );
  });

  it('after the glass: a new final code, the export, evidence, every step locked, and a bundle that verifies', async () => {
    await at('signed-out', async ({ app, page, dataDir, clock }) => {
      // After the glass: the checklist with its due times, the export, evidence.
      await expect.poll(() => heading(page).textContent()).toContain('After the glass');
      const finalCode = (await page.getByTestId('witness-final').locator('.witness-words').getAttribute('aria-label'))!;
      expect(await page.getByTestId('aftercare-summary').textContent()).toContain('0 of 4 done; 4 due');
      await press(page.getByTestId('export'));
      await expect.poll(() => page.getByTestId('exported').isVisible()).toBe(true);
      await typeInto(
        page.getByRole('textbox', { name: /^Evidence \(/ }).first(),
        'DRILL: session log committed as docs/session-log/drill.md',
      );
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('check-root.session-log').getAttribute('data-state')).toBe('done');
      await screenshot(page, '08-aftercare');

      // The journal behind the screens: every step locked by a verified checkpoint; the bundle verifies.
      const [summary] = await app.core.ceremony(true)!.list();
      const state = await app.core.ceremony(true)!.getState(summary!.ceremony_id);
      if (!state.ok) throw new Error(state.error.message);
      expect(state.value.steps.map((s) => s.status)).toEqual([
        'locked',
        'done',
        'locked',
        'locked',
        'locked',
        'done',
        'locked',
      ]);
      expect(state.value.witness.final?.text).toBe(finalCode);
      // The code read out at sign-out is not the one given at the notify step.
      expect(finalCode).not.toBe(state.value.witness.notify?.text);
      // Five step locks, then the closing seal the export asked for (a tap over the finished ceremony).
      expect(app.core.journal.checkpoints(summary!.ceremony_id).map((c) => c.step)).toEqual([
        'scenario',
        'notify',
        'sign_in',
        'audit_row',
        'sign_out',
        'seal',
      ]);
      const bundlePath = (await page.getByTestId('exported').locator('code').first().textContent())!;
      // The reviewer pins the drill key (the trusted-keys file the founders keep) and reads the
      // bundle at the test's time: entries recorded later than the verifier's clock are refused.
      const trusted = path.join(dataDir, 'trusted-keys.json');
      const trust = await cli(['key', 'export-trust', '--drill', '--data-dir', dataDir, '--out', trusted], clock());
      expect(trust.code, trust.err).toBe(0);
      const verified = await cli(['verify', bundlePath, '--trusted-keys', trusted], clock());
      expect(verified.code, verified.out + verified.err).toBe(VERDICT_EXITS['DRILL INTACT']);
      expect(verified.out).toContain('DRILL INTACT');
    });
  });
});
