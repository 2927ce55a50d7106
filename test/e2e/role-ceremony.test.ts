// The breakglass-role ceremony (the time-limited breakglass-emergency IAM role, cleanup runbook)
// through the real renderer, by keyboard, over the real core: scenario with approver and cleanup
// owner, notify, the role session from a pasted `aws sts assume-role` output whose keys must never
// reach the journal, the minimal action against the credential lifetime, sign-out, and the 24-hour
// cleanup checklist with its windows and the cleanup-owner sign-off. Each test starts from the
// step before its own, reached through the core (support/role-fixture.ts), so a failing step
// hides none of the others. The steps after the role session are role-aftercare.test.ts.
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { press, screenshot, typeInto } from './support/core';
import {
  assumeRoleOutput,
  awsTime,
  expectNoSecretInClosedDatabase,
  MINUTE,
  openRoleDrill,
  ROLE_ARN,
  SESSION_ARN,
  secretSightings,
  utc,
  type RoleDrillWindow,
  type RoleStage,
} from './support/role-fixture';
import { box, heading, lockStep, notifyFounders, rail } from './support/screen';

describe.runIf(chromiumAvailable())(
  'a drill breakglass-role ceremony, one screen per test, by keyboard (real core)',
  () => {
    const tempDir = useTempDir();
    const chromium = useChromium();

    /**
     * A fresh data directory and window; with a stage, the drill driven through the core up to it
     * and the window resumed on the next step. The body runs with the app open; it is closed after.
     */
    async function at(stage: RoleStage | null, body: (t: RoleDrillWindow) => Promise<void>) {
      const t = await openRoleDrill(chromium(), tempDir(), stage);
      try {
        await body(t);
      } finally {
        await t.app.close();
      }
      return t;
    }

    it("starts as a DRILL of the role runbook with the drill key, on the role variant's five steps", async () => {
      await at(null, async ({ page, ceremony }) => {
        // Start: DRILL, the role runbook (configured in the built-in example), the drill key.
        await expect.poll(() => page.getByTestId('drill-banner').textContent()).toContain('DRILL');
        expect(await page.getByTestId('config-notice').textContent()).toContain('built-in example');
        const roleRunbook = page.getByRole('radio', { name: /Breakglass emergency role/ });
        expect(await roleRunbook.isDisabled()).toBe(false);
        await press(roleRunbook);
        expect(await roleRunbook.isChecked()).toBe(true);
        expect(await page.getByRole('radio', { name: /AWS root login/ }).isChecked()).toBe(false);
        await expect.poll(() => page.getByTestId('enrol-primary').isVisible()).toBe(true);
        await press(page.getByTestId('enrol-primary'));
        await expect
          .poll(() => page.getByTestId('enrolled-key').textContent(), { timeout: 15_000 })
          .toContain('primary: virtual key');
        await screenshot(page, 'role-00-start');
        await press(page.getByTestId('start'));
        await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
        expect(await heading(page).evaluate((el) => el === document.activeElement)).toBe(true);

        // The role variant's five steps on the rail: no SSO probe, no root sign-in, no root audit row.
        const railSteps = await page
          .locator('[data-testid^="rail-"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
        expect(railSteps).toEqual([
          'rail-scenario',
          'rail-notify',
          'rail-role_session',
          'rail-minimal_action',
          'rail-sign_out',
          'rail-aftercare',
        ]);
        expect(await page.locator('.rail-number').allTextContents()).toEqual(['1', '2', '3', '4', '5', '✓']);
        expect(await ceremony().list()).toMatchObject([{ type: 'breakglass-role', drill: true }]);
      });
    });

    it('1. scenario: the P0 role scenario only; no cleanup owner and self-approval refused; recorded and locked in one action', async () => {
      await at('started', async ({ page }) => {
        await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
        expect(await page.locator('input[name="scenario"]').count()).toBe(1);
        expect(await page.getByTestId('scenario-p0-role').isChecked()).toBe(true);
        expect(await page.getByTestId('not-authorised').textContent()).toContain('Avoiding a permission-set request');
        expect(await page.locator('#reason-hint').textContent()).toBe(
          'What the P0 needs the breakglass role for, in one sentence',
        );
        await typeInto(box(page, 'P0 incident'), 'INC-DRILL-P0-042');
        await typeInto(
          box(page, 'What the standard role cannot do'),
          'DRILL: the platform role cannot terminate the runaway production instances',
        );
        await typeInto(box(page, 'Approver'), '@alice');
        await typeInto(
          box(page, 'One-line reason (goes into the audit row)'),
          'DRILL: P0 runaway fleet needs the breakglass role to stop it',
        );
        await page.keyboard.press('Enter');
        // No cleanup owner: refused, by name.
        await expect.poll(() => page.getByTestId('refusal').textContent()).toMatch(/cleanup owner/i);
        expect(await page.getByTestId('recorded-scenario').count()).toBe(0);
        // The operator approving their own breakglass: refused.
        await typeInto(box(page, 'Cleanup owner'), '@bob');
        await typeInto(box(page, 'Approver'), 'Taha');
        await page.keyboard.press('Enter');
        await expect
          .poll(() => page.getByTestId('refusal').textContent())
          .toContain('the approver must be someone other than the operator');
        expect(await page.getByTestId('refusal').getAttribute('data-code')).toBe('not-authorised');
        expect(await page.getByTestId('recorded-scenario').count()).toBe(0);
        await typeInto(box(page, 'Approver'), '@alice');
        await page.keyboard.press('Enter');
        // Recorded and locked with the tap in one action; the locked step opens read-only from the rail.
        await expect.poll(() => rail(page, 'scenario').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
        await press(rail(page, 'scenario').locator('button'));
        await expect.poll(() => page.getByTestId('recorded-scenario').isVisible()).toBe(true);
        const recorded = (await page.getByTestId('recorded-scenario').textContent())!;
        expect(recorded).toContain('P0 incident needs the breakglass-emergency role');
        expect(recorded).toContain('approver@alice');
        expect(recorded).toContain('cleanup_owner@bob');
        expect(recorded).toContain('INC-DRILL-P0-042');
        expect(await page.getByTestId('refusal').count()).toBe(0);
        await screenshot(page, 'role-01-scenario');
        await press(page.getByRole('button', { name: 'Back to the current step' }));
        await expect.poll(() => heading(page).textContent()).toContain('2. Notify the founders before invoking');
      });
    });

    it('2. notify: both founders acknowledge the same witness code before the role session can be recorded', async () => {
      await at('scenario', async ({ page, state }) => {
        await expect.poll(() => heading(page).textContent()).toContain('2. Notify the founders before invoking');
        expect(await rail(page, 'notify').locator('.rail-number').textContent()).toBe('2');
        expect(await page.locator('.lead').first().textContent()).toContain(
          'Recording the role session stays impossible until every founder has acknowledged and this step is locked',
        );
        expect(await page.getByTestId('sso-summary').count()).toBe(0);
        const code = await notifyFounders(page);
        await screenshot(page, 'role-02-notify');
        await lockStep(page, 'notify');
        expect((await state()).witness.notify?.text).toBe(code);
        await expect.poll(() => heading(page).textContent()).toContain('3. Record the role session');
      });
    });

    it('3. role session: bad pastes refused without an echo; the real STS paste recorded, locked, and no key kept anywhere', async () => {
      const t = await at('notified', async ({ app, page, dataDir, clock, creds, secrets, ceremony, id, entries }) => {
        await expect.poll(() => heading(page).textContent()).toContain('3. Record the role session');
        const output = box(page, 'aws sts assume-role output (JSON)');
        const record = page.getByRole('button', { name: 'Record the role session' });
        const before = (await entries()).length;
        const refusedPaste = async (paste: string, message: string) => {
          await typeInto(output, paste);
          await press(record);
          await expect
            .poll(async () => (await page.getByTestId('refusal').textContent())?.toLowerCase())
            .toContain(message.toLowerCase());
          const shown = (await page.getByTestId('refusal').textContent())!;
          for (const s of secrets) expect(shown).not.toContain(s);
          expect(await page.getByTestId('role-session').count()).toBe(0);
          expect(await rail(page, 'role_session').getAttribute('data-status')).toBe('open');
          expect((await entries()).length).toBe(before);
          expect(await output.inputValue()).toBe('');
        };
        const soon = clock().getTime() + 60 * MINUTE;
        // The env-var export format is not the JSON the step asks for.
        await refusedPaste(
          [
            `export AWS_ACCESS_KEY_ID=${creds.accessKeyId}`,
            `export AWS_SECRET_ACCESS_KEY=${creds.secretAccessKey}`,
            `export AWS_SESSION_TOKEN=${creds.sessionToken}`,
            `export AWS_CREDENTIAL_EXPIRATION=${awsTime(soon)}`,
          ].join('\n'),
          'assume-role output: this is not JSON',
        );
        expect(await page.getByTestId('refusal').getAttribute('data-code')).toBe('invalid-input');
        await screenshot(page, 'role-03-bad-paste');
        // JSON, but without the Expiration the timer and the cleanup clock need.
        const withoutExpiration = {
          Credentials: {
            AccessKeyId: creds.accessKeyId,
            SecretAccessKey: creds.secretAccessKey,
            SessionToken: creds.sessionToken,
          },
          AssumedRoleUser: { AssumedRoleId: 'AROAQXZ7EXAMPLEROLE42:taha-inc-drill-p0', Arn: SESSION_ARN },
        };
        await refusedPaste(JSON.stringify(withoutExpiration, null, 4), 'Credentials.Expiration is missing');
        // A role that is not the configured breakglass role.
        const otherRole = {
          Credentials: { ...withoutExpiration.Credentials, Expiration: awsTime(soon) },
          AssumedRoleUser: {
            AssumedRoleId: 'AROAQXZ7EXAMPLEROLE43:taha',
            Arn: 'arn:aws:sts::039624954211:assumed-role/AdministratorAccess/taha',
          },
        };
        await refusedPaste(JSON.stringify(otherRole, null, 4), `is not the configured breakglass role ${ROLE_ARN}`);
        expect(await page.getByTestId('refusal').getAttribute('data-code')).toBe('not-authorised');

        // The real paste: exactly what `aws sts assume-role --output json --duration-seconds 3600` prints.
        const expiresAt = clock().getTime() + 60 * MINUTE;
        const pasted = assumeRoleOutput(creds, expiresAt);
        await typeInto(output, JSON.stringify(pasted, null, 4));
        await press(record);
        // Recorded and locked in one action; the locked step opens read-only from the rail.
        await expect
          .poll(() => rail(page, 'role_session').getAttribute('data-status'), { timeout: 15_000 })
          .toBe('locked');
        await press(rail(page, 'role_session').locator('button'));
        await expect.poll(() => page.getByTestId('role-session').isVisible()).toBe(true);
        const expiration = new Date(Math.floor(expiresAt / 1000) * 1000).toISOString();
        const sessionText = (await page.getByTestId('role-session').textContent())!;
        expect(sessionText).toContain(ROLE_ARN);
        expect(sessionText).toContain(`expires ${utc(expiration)}`);
        expect(await page.getByTestId('refusal').count()).toBe(0);
        // Nothing in the window still holds a key, and the journal kept only what the step needs.
        const html = await page.content();
        for (const s of secrets) expect(html).not.toContain(s);
        const sessions = (await entries()).filter((e) => e.kind === 'role_session_started');
        expect(sessions).toHaveLength(1);
        expect(Object.keys(sessions[0]!.payload).sort()).toEqual([
          'approver',
          'cleanup_owner',
          'expiration',
          'role_arn',
          'session_started_at',
          'source',
        ]);
        expect(sessions[0]!.payload).toMatchObject({
          role_arn: ROLE_ARN,
          approver: '@alice',
          cleanup_owner: '@bob',
          expiration,
          source: 'sts',
        });
        expect(sessionText).toContain(`started ${utc(Date.parse(sessions[0]!.payload.session_started_at as string))}`);
        await screenshot(page, 'role-03-role-session');
        await press(page.getByRole('button', { name: 'Back to the current step' }));
        await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
        // Locked: a second session is a renewal, a new ceremony.
        expect(
          await ceremony().recordRoleSession(await id(), { source: 'sts', assume_role_output: JSON.stringify(pasted) }),
        ).toMatchObject({
          ok: false,
          error: { code: 'locked' },
        });
        // Not one of the pasted secrets anywhere: rows, database and WAL bytes.
        expect(secretSightings(app, dataDir, secrets, 10)).toEqual([]);
      });
      expectNoSecretInClosedDatabase(t.dataDir, t.secrets);
    });
  },
);
