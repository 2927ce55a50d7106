// A breakglass-role session is never extended, through the real renderer by keyboard over the
// real core. A second session is a renewal: a NEW ceremony linked to the first, with its own
// scenario (and renewal justification), its own notification and its own key taps; the first
// ceremony and its expiration stay exactly as journalled (cleanup runbook: "This is treated as a
// SEPARATE incident"). Each test starts from a first role ceremony with its session recorded,
// reached through the core (support/role-fixture.ts), so one failing part hides none of the others.
// (The abort half of this walkthrough is abort.test.ts; what main refuses, renewal-refusals.test.ts.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src-shared/journal/types';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { press, screenshot, typeInto } from './support/core';
import {
  assumeRoleOutput,
  call,
  fillRoleScenario,
  isoSeconds,
  journalShape,
  MINUTE,
  openFirstRole,
  recordRoleSession,
  ROLE_ARN,
  scenarioLocked,
  withApp,
} from './support/renewal-fixture';
import { utc } from './support/role-fixture';
import { box, heading, lockStep, notifyFounders, rail, resumeTheOnly } from './support/screen';
import { verifyExported } from './support/verify-export';

describe.runIf(chromiumAvailable())(
  'renewal of a role session, by keyboard through the real renderer (real core)',
  () => {
    const tempDir = useTempDir();
    const chromium = useChromium();
    const open = (stage: 'started' | 'role-session', options: { pastExpiry?: boolean; renewal?: boolean } = {}) =>
      openFirstRole(chromium(), tempDir(), stage, options);

    it('a first ceremony has no renewal justification: not asked for on screen, refused by main by name', async () => {
      await withApp(await open('started'), async ({ page, first, entriesOf }) => {
        await resumeTheOnly(page);
        await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
        expect(await box(page, 'Renewal justification (renewals only)').count()).toBe(0);
        expect(await page.getByTestId('renewal-of').count()).toBe(0);
        const withJustification = await call(page, 'ceremony:selectScenario', [
          first,
          {
            scenario_id: 'p0-role',
            evidence: {
              incident_ref: 'INC-DRILL-P0-042',
              blocker: 'DRILL: the platform role cannot terminate the runaway production instances',
              approver: '@alice',
              cleanup_owner: '@bob',
              renewal_justification: 'DRILL: the fleet is still scaling and needs a second session',
            },
            reason: 'DRILL: P0 runaway fleet needs the breakglass role to stop it',
          },
        ]);
        expect(withJustification).toMatchObject({
          ok: false,
          error: {
            message: expect.stringContaining(
              'renewal justification: only a renewal (a ceremony linked to an earlier one) has one',
            ),
          },
        });
        expect(entriesOf(first).map((e) => e.kind)).not.toContain('scenario_selected');
        await fillRoleScenario(page, 'INC-DRILL-P0-042');
        await scenarioLocked(page);
        await expect.poll(() => heading(page).textContent()).toContain('2. Notify the founders before invoking');
      });
    });

    it('past its expiry, the locked role-session step offers no extension, and main refuses one', async () => {
      await withApp(await open('role-session'), async ({ app, page, first, clock, advanceMinutes, state }) => {
        await resumeTheOnly(page);
        const firstExpiration = (await state(first)).role_session!.expiration;
        // The minimal action runs past the Expiration: the session is over, the timer says so.
        await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
        const actionBox = box(page, 'What you ran or did (Enter records it)');
        await typeInto(actionBox, 'ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('ec2:TerminateInstances');
        advanceMinutes(61);
        await typeInto(actionBox, 'ran: aws sts get-caller-identity');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('sts:GetCallerIdentity');
        await expect.poll(() => page.getByTestId('timer').getAttribute('data-level')).toBe('critical');
        expect(await page.getByTestId('timer').textContent()).toContain(`credentials expire ${utc(firstExpiration)}`);
        expect(await page.getByTestId('timer').textContent()).toContain('EXPIRED');
        await screenshot(page, 'renewal-01-first-past-expiry');

        // What the window offers: the locked role-session step says a renewal is a new linked
        // ceremony, and there is no control that extends the session.
        await press(rail(page, 'role_session').getByRole('button'));
        await expect.poll(() => heading(page).textContent()).toContain('3. Record the role session');
        expect(await page.getByTestId('role-session').textContent()).toContain(`expires ${utc(firstExpiration)}`);
        expect(await page.getByTestId('record-role-session').isDisabled()).toBe(true);
        expect(await page.getByTestId('why-not').textContent()).toContain(
          'A renewal is a separate incident: start a new ceremony linked to this one, with its own justification and notification.',
        );
        expect(await page.getByRole('button', { name: /extend|renew/i }).count()).toBe(0);
        await screenshot(page, 'renewal-02-locked-session');
        await press(page.getByRole('button', { name: 'Back to the current step' }));
        await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');

        expect((await state(first)).role_session).toMatchObject({ role_arn: ROLE_ARN, expiration: firstExpiration });
        expect(app.core.journal.checkpoints(first).map((c) => c.step)).toEqual(['scenario', 'notify', 'role_session']);
        // An extension of the first session through the bridge: refused, nothing journalled.
        const shape = journalShape(app);
        const extension = await call(page, 'ceremony:recordRoleSession', [
          first,
          {
            source: 'vault',
            role_arn: ROLE_ARN,
            session_started_at: clock().toISOString(),
            expiration: new Date(clock().getTime() + 60 * MINUTE).toISOString(),
          },
        ]);
        expect(extension).toMatchObject({
          ok: false,
          error: { code: 'locked', message: expect.stringContaining('start a new ceremony linked to this one') },
        });
        expect(journalShape(app)).toEqual(shape);
      });
    });

    it("starts the renewal from the first ceremony's screen: a NEW linked ceremony that inherits nothing", async () => {
      await withApp(await open('role-session'), async ({ app, page, first, clock, ceremony, state, entriesOf }) => {
        const firstBefore = await state(first);
        const firstEntries = entriesOf(first).length;
        const firstHead = app.core.journal.head(first)!;
        // The renewal, from the first ceremony's own screen: the panel says what a renewal is, and
        // starting it opens a NEW ceremony linked to the first.
        await press(page.getByTestId('resume').filter({ hasText: first }));
        await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
        await press(page.getByTestId('renewal-panel').locator('summary'));
        expect(await page.getByTestId('renewal-panel').textContent()).toContain('This session is not extended');
        await press(page.getByTestId('start-renewal'));
        await expect.poll(() => page.getByTestId('renewal-of').textContent()).toContain(`Renewal of ${first}`);
        await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
        const renewalId = (await ceremony().list()).find((c) => c.ceremony_id !== first)!.ceremony_id;
        const renewal = await state(renewalId);
        expect(renewalId).not.toBe(first);
        expect(renewal.operator).toEqual(firstBefore.operator);
        // A second renewal while this one is open: refused by main, nothing journalled.
        const shapeWithRenewal = journalShape(app);
        expect(
          await call(page, 'ceremony:start', [{ type: 'breakglass-role', drill: true, linked_ceremony_id: first }]),
        ).toMatchObject({
          ok: false,
          error: {
            code: 'invalid-input',
            message: `linked ceremony: ${renewalId} already renews ${first} and is still open; finish or abort it first`,
          },
        });
        expect(journalShape(app)).toEqual(shapeWithRenewal);
        await press(page.getByTestId('leave'));
        expect(renewal).toMatchObject({
          type: 'breakglass-role',
          drill: true,
          linked_ceremony_id: first,
          role_session: null,
          scenario: null,
          phase: 'ceremony',
          current_step: 'scenario',
        });
        expect(renewal.steps.map((s) => [s.id, s.status])).toEqual([
          ['scenario', 'open'],
          ['notify', 'pending'],
          ['role_session', 'pending'],
          ['minimal_action', 'pending'],
          ['sign_out', 'pending'],
        ]);
        expect(entriesOf(renewalId).map((e) => [e.kind, e.payload.linked_ceremony_id])).toEqual([
          ['ceremony_started', first],
        ]);
        // It inherits nothing from the first: no notification, no role session, no lock.
        const renewalShape = journalShape(app);
        expect(
          await call(page, 'ceremony:notifyFounder', [
            renewalId,
            { contact_id: 'asad', channel: 'text', acknowledged: true },
          ]),
        ).toMatchObject({
          ok: false,
          error: { code: 'out-of-order', message: 'Choose the scenario and lock it with a tap first.' },
        });
        expect(
          await call(page, 'ceremony:recordRoleSession', [
            renewalId,
            { source: 'sts', assume_role_output: assumeRoleOutput(clock().getTime() + 60 * MINUTE, 'x') },
          ]),
        ).toMatchObject({
          ok: false,
          error: {
            code: 'out-of-order',
            message: expect.stringContaining('Notify the founders and lock that step with a key tap first'),
          },
        });
        expect(await call(page, 'ceremony:lockStep', [renewalId, { step: 'role_session' }])).toMatchObject({
          ok: false,
          error: { code: 'out-of-order' },
        });
        expect(journalShape(app)).toEqual(renewalShape);
        // And the first is exactly as it was.
        expect(entriesOf(first)).toHaveLength(firstEntries);
        expect(app.core.journal.head(first)).toEqual(firstHead);
      });
    });

    it('the renewal runs its own scenario, notification and role session; the first keeps its expiration; the bundle carries the link', async () => {
      await withApp(
        await open('role-session', { pastExpiry: true, renewal: true }),
        async ({ app, page, first, renewalId, clock, advanceMinutes, state, entriesOf }) => {
          const firstBefore = await state(first);
          const firstExpiration = firstBefore.role_session!.expiration;
          const firstEntries = entriesOf(first).length;
          const firstHead = app.core.journal.head(first)!;
          // The start screen offers the renewal to resume; the renewal runs its own ceremony, by keyboard.
          const resumeRenewal = page.getByTestId('resume').filter({ hasText: renewalId });
          await expect.poll(() => resumeRenewal.count()).toBe(1);
          await screenshot(page, 'renewal-03-start-screen');
          await press(resumeRenewal);
          await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
          // Without its own justification: refused, naming the ceremony it renews, on the field by its label.
          await fillRoleScenario(page, 'INC-DRILL-P0-042');
          await expect
            .poll(() => page.getByTestId('refusal').textContent())
            .toContain(
              `Renewal justification (renewals only): this ceremony renews ${first}; a renewal is a separate incident and needs its own justification`,
            );
          expect(await page.getByTestId('refusal').getAttribute('data-field')).toBe('evidence.renewal_justification');
          expect(await page.getByTestId('recorded-scenario').count()).toBe(0);
          const justification =
            'DRILL: the fleet respawns from a second autoscaling group the first session did not reach';
          await fillRoleScenario(page, 'INC-DRILL-P0-042', justification);
          await scenarioLocked(page);
          await press(rail(page, 'scenario').getByRole('button'));
          await expect.poll(() => page.getByTestId('recorded-scenario').isVisible()).toBe(true);
          expect(await page.getByTestId('recorded-scenario').textContent()).toContain(
            `renewal_justification${justification}`,
          );
          await screenshot(page, 'renewal-04-renewal-scenario');
          await press(page.getByRole('button', { name: 'Back to the current step' }));
          // Its own notification, with its own witness code.
          await expect.poll(() => heading(page).textContent()).toContain('2. Notify the founders before invoking');
          const renewalCode = await notifyFounders(page);
          expect(renewalCode).not.toBe(firstBefore.witness.notify!.text);
          await lockStep(page, 'notify');
          // Its own role session, with its own expiration.
          advanceMinutes(2);
          const renewalExpiresAt = clock().getTime() + 60 * MINUTE;
          await recordRoleSession(page, renewalExpiresAt, 'taha-inc-drill-p0-renewal');
          await lockStep(page, 'role_session');
          await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
          await screenshot(page, 'renewal-05-renewal-session');

          // The journal behind the screens: two ceremonies, each with its own taps; the first unchanged.
          const renewed = await state(renewalId);
          expect(renewed.linked_ceremony_id).toBe(first);
          expect(renewed.scenario?.evidence.renewal_justification).toBe(justification);
          expect(renewed.witness.notify?.text).toBe(renewalCode);
          expect(renewed.role_session).toMatchObject({
            role_arn: ROLE_ARN,
            expiration: isoSeconds(renewalExpiresAt),
            approver: '@alice',
            cleanup_owner: '@bob',
          });
          expect(app.core.journal.checkpoints(renewalId).map((c) => [c.ceremony_id, c.step])).toEqual([
            [renewalId, 'scenario'],
            [renewalId, 'notify'],
            [renewalId, 'role_session'],
          ]);
          const firstAfter = await state(first);
          expect(firstAfter.role_session).toEqual(firstBefore.role_session);
          expect(firstAfter.linked_ceremony_id).toBeNull();
          expect(entriesOf(first)).toHaveLength(firstEntries);
          expect(app.core.journal.head(first)).toEqual(firstHead);
          expect(JSON.stringify(entriesOf(first))).not.toContain(renewalId);
          expect(app.core.journal.checkpoints(first).map((c) => c.step)).toEqual([
            'scenario',
            'notify',
            'role_session',
          ]);
          expect(app.core.journal.verify(first)).toMatchObject({ ok: true });
          expect(app.core.journal.verify(renewalId)).toMatchObject({ ok: true });

          // The first ceremony, resumed, still times its one session against its own expiration.
          await press(page.getByTestId('leave'));
          const resumeFirst = page.getByTestId('resume').filter({ hasText: first });
          await expect.poll(() => resumeFirst.count()).toBe(1);
          await press(resumeFirst);
          await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
          expect(await page.getByTestId('timer').textContent()).toContain(`credentials expire ${utc(firstExpiration)}`);
          expect(await page.getByTestId('timer').getAttribute('data-level')).toBe('critical');

          // The renewal's bundle carries the link and verifies with its own three checkpoints.
          const exported = await call(page, 'ceremony:export', [renewalId]);
          if (!exported.ok) throw new Error(exported.error.message);
          const bundlePath = exported.value.bundle_path as string;
          const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as { entries: JournalEntry[] };
          expect(bundle.entries[0]!.payload).toMatchObject({
            type: 'breakglass-role',
            drill: true,
            linked_ceremony_id: first,
          });
          const verified = await verifyExported(app, bundlePath);
          expect(verified.out).toContain(`INCOMPLETE (DRILL): ${renewalId}`);
          expect(verified.code, verified.out + verified.err).toBe(4); // the renewal is still open: not signed out
          expect(verified.out).toMatch(
            /checkpoints\s+3: scenario \(touched\), notify \(touched\), role_session \(touched\)/,
          );
          expect(verified.out).toContain(`renewal of   ${first} (a new ceremony, not an extension)`);
        },
      );
    });
  },
);
