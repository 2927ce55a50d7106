import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press, type RunningApp } from './support/core';
import { box } from './support/screen';
import { atEverySize, openFromStart } from './support/ui';

const SESSION_ARN = 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/taha-inc-drill-p0';
const P0 = {
  incident_ref: 'INC-DRILL-P0-15',
  blocker: 'DRILL: the platform role lacks iam:UpdateAssumeRolePolicy',
  approver: '@alice',
  cleanup_owner: '@bob',
};

/** A drill role ceremony whose credentials expire 60 minutes after its session starts, signed in and locked. */
async function roleSession(app: RunningApp): Promise<string> {
  const h = app.handlers;
  await h['key:enrol']({ drill: true, label: 'primary' });
  const id = (await h['ceremony:start']({ type: 'breakglass-role', drill: true })).ceremony_id;
  await h['ceremony:selectScenario'](id, {
    scenario_id: 'p0-role',
    evidence: P0,
    reason: 'DRILL: the P0 needs the breakglass role now',
  });
  await h['ceremony:lockStep'](id, { step: 'scenario' });
  for (const f of ['asad', 'ian'])
    await h['ceremony:notifyFounder'](id, { contact_id: f, channel: 'text', acknowledged: true });
  await h['ceremony:lockStep'](id, { step: 'notify' });
  const expiration = new Date(app.core.clock().getTime() + 60 * 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  // The access keys are placeholders in AWS's documented shape; main keeps only the ARN and Expiration.
  const output = {
    Credentials: {
      AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      SessionToken: 'FwoGZXIvYXdzEXAMPLE',
      Expiration: expiration,
    },
    AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:taha', Arn: SESSION_ARN },
  };
  await h['ceremony:recordRoleSession'](id, { source: 'sts', assume_role_output: JSON.stringify(output) });
  await h['ceremony:lockStep'](id, { step: 'role_session' });
  return id;
}

/** Issue 15, point 2: the role timer counts down to the expiration, by colour, on every screen, and stops at sign-out. */
describe.runIf(chromiumAvailable())('the role session timer (real core, injected clock)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('counts down to the credential expiration, turns amber then red as it nears, and stops at sign-out', async () => {
    const { clock, advanceMinutes } = movableClock();
    const app = await openApp(chromium(), tempDir(), { clock });
    const { page } = app;
    const bar = page.getByTestId('bar-timer');
    try {
      const id = await roleSession(app);
      await openFromStart(page, id);
      await expect.poll(() => bar.textContent()).toMatch(/^Session timer: (60:00|59:\d\d) left to expiry$/);
      expect(await bar.getAttribute('data-level')).toBe('ok');
      expect(await page.getByTestId('timer').textContent()).toContain('until the credentials expire');
      await atEverySize(page, async () => expect(await bar.isVisible()).toBe(true));

      // Main's clock moves; the next read of the state (after any entry) shows it.
      advanceMinutes(52);
      await app.handlers['ceremony:logAction'](id, {
        text: 'ran: aws iam update-assume-role-policy --role-name irsa-app',
      });
      await expect.poll(() => bar.getAttribute('data-level')).toBe('warning');
      expect(await bar.textContent()).toMatch(/ [78]:\d\d left/);
      advanceMinutes(5);
      await app.handlers['ceremony:addNote'](id, { text: 'DRILL: almost done' });
      await expect.poll(() => bar.getAttribute('data-level')).toBe('critical');
      await atEverySize(page);

      await app.handlers['ceremony:finishMinimalAction'](id, { summary: 'DRILL: fixed the trust policy' });
      await app.handlers['ceremony:recordSignOut'](id, {});
      await expect.poll(() => bar.getAttribute('data-level')).toBe('stopped');
      expect(await bar.textContent()).toContain('stopped');
      expect(await page.locator('body').textContent()).not.toMatch(/sign out now|end the session now/i);
      // Stopped means stopped: time passing changes nothing.
      const stopped = await bar.textContent();
      advanceMinutes(30);
      await app.handlers['ceremony:addNote'](id, { text: 'DRILL: later' });
      await expect.poll(() => page.getByTestId('timer').getAttribute('data-level')).toBe('stopped');
      expect(await bar.textContent()).toBe(stopped);
    } finally {
      await app.close();
    }
  });

  it("starts a renewal prefilled with the first ceremony's scenario: only the justification is new", async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      const id = await roleSession(app);
      await openFromStart(page, id);
      await press(page.getByTestId('renewal-panel').locator('summary'));
      await press(page.getByTestId('start-renewal'));
      await expect.poll(() => page.getByTestId('renewal-of').textContent()).toContain(id);
      for (const [label, value] of [
        ['P0 incident', P0.incident_ref],
        ['What the standard role cannot do', P0.blocker],
        ['Approver', P0.approver],
        ['Cleanup owner', P0.cleanup_owner],
        ['One-line reason (goes into the audit row)', 'DRILL: the P0 needs the breakglass role now'],
      ]) {
        expect(await box(page, label!).inputValue(), label).toBe(value);
      }
      expect(await box(page, 'Renewal justification (renewals only)').inputValue()).toBe('');
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });
});
