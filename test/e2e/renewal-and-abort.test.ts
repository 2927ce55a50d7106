// Two things a ceremony must never blur, through the real renderer by keyboard over the real core:
//  1. A breakglass-role session is never extended. A second session is a renewal: a NEW ceremony
//     linked to the first, with its own scenario (and renewal justification), its own notification
//     and its own key taps; the first ceremony and its expiration stay exactly as journalled
//     (cleanup runbook: "This is treated as a SEPARATE incident").
//  2. An abort midway stops the ceremony for good: the reason and time on screen and in the
//     journal, every further command refused (notes excepted), nothing left to resume, and the
//     exported bundle still verifies.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src-shared/journal/types';
import { verifyExported } from './support/verify-export';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press, rawInvoke, screenshot, typeInto, type RunningApp } from './support/core';
import { box, heading, lockStep, notifyFounders, rail } from './support/screen';

const ROLE_ARN = 'arn:aws:iam::039624954211:role/breakglass-emergency';
const MINUTE = 60_000;

/** As the screens write times: UTC to the second, said so. */
const utc = (t: number | string) => `${new Date(typeof t === 'number' ? t : Date.parse(t)).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
/** As the AWS CLI prints an STS Expiration: seconds, +00:00. */
const awsTime = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
/** The Expiration as the journal keeps it. */
const isoSeconds = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString();

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };
const call = (page: Page, channel: string, args: unknown[]) => rawInvoke(page, channel, args) as Promise<Result>;

/** What `aws sts assume-role --output json --duration-seconds 3600` prints, with fresh keys for this run. */
function assumeRoleOutput(expiresAt: number, sessionName: string): string {
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return JSON.stringify(
    {
      Credentials: {
        AccessKeyId: `ASIA${[...randomBytes(16)].map((b) => base32[b % 32]).join('')}`,
        SecretAccessKey: randomBytes(30).toString('base64'),
        SessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(540).toString('base64')}`,
        Expiration: awsTime(expiresAt),
      },
      AssumedRoleUser: { AssumedRoleId: `AROAQXZ7EXAMPLEROLE42:${sessionName}`, Arn: `arn:aws:sts::039624954211:assumed-role/breakglass-emergency/${sessionName}` },
    },
    null,
    4,
  );
}

/** Every ceremony in the journal with its head seq: equal before and after means nothing was journalled. */
function journalShape(app: RunningApp): string[] {
  return app.core.journal
    .ceremonies()
    .map((c) => `${c.ceremony_id}@${app.core.journal.head(c.ceremony_id)!.seq}`)
    .sort();
}

/** The P0 role scenario's evidence, typed field by field; Enter records it. */
async function fillRoleScenario(page: Page, incident: string, renewalJustification?: string): Promise<void> {
  await typeInto(box(page, 'P0 incident'), incident);
  await typeInto(box(page, 'What the standard role cannot do'), 'DRILL: the platform role cannot terminate the runaway production instances');
  await typeInto(box(page, 'Approver'), '@alice');
  await typeInto(box(page, 'Cleanup owner'), '@bob');
  // The field exists only on a renewal (a ceremony linked to an earlier one).
  if (renewalJustification !== undefined) await typeInto(box(page, 'Renewal justification (renewals only)'), renewalJustification);
  await typeInto(box(page, 'One-line reason (goes into the audit row)'), 'DRILL: P0 runaway fleet needs the breakglass role to stop it');
  await page.keyboard.press('Enter');
}

async function recordRoleSession(page: Page, expiresAt: number, sessionName: string): Promise<void> {
  await expect.poll(() => heading(page).textContent()).toContain('3. Record the role session');
  await typeInto(box(page, 'aws sts assume-role output (JSON)'), assumeRoleOutput(expiresAt, sessionName));
  await press(page.getByRole('button', { name: 'Record the role session' }));
  // Recorded and locked with the tap in one action; the locked step opens read-only from the rail.
  await expect.poll(() => rail(page, 'role_session').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
  await press(rail(page, 'role_session').getByRole('button'));
  await expect.poll(() => page.getByTestId('role-session').textContent()).toContain(`expires ${utc(isoSeconds(expiresAt))}`);
  await press(page.getByRole('button', { name: 'Back to the current step' }));
}

/** Recorded and locked with the tap in one action (the scenario step). */
async function scenarioLocked(page: Page): Promise<void> {
  await expect.poll(() => rail(page, 'scenario').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
}

describe.runIf(chromiumAvailable())('renewal and abort, by keyboard through the real renderer (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('renews a role session only as a new linked ceremony with its own scenario, notification and taps; the first keeps its expiration', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const { clock, advanceMinutes } = movableClock();
    let app = await openApp(chromium(), dataDir, { clock });
    let page = app.page;
    let first = '';
    const ceremony = () => app.core.ceremony(true)!;
    const entriesOf = (id: string): JournalEntry[] => app.core.journal.entries(id);
    try {
      // The first ceremony: breakglass role, DRILL, the drill key.
      await expect.poll(() => page.getByTestId('enrol-primary').isVisible()).toBe(true);
      await press(page.getByRole('radio', { name: /Breakglass emergency role/ }));
      await press(page.getByTestId('enrol-primary'));
      await expect.poll(() => page.getByTestId('enrolled-key').textContent(), { timeout: 15_000 }).toContain('primary: virtual key');
      await press(page.getByTestId('start'));
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      const [firstSummary] = await ceremony().list();
      first = firstSummary!.ceremony_id;

      // A first ceremony has no renewal justification: not asked for on screen, refused by main by name.
      expect(await box(page, 'Renewal justification (renewals only)').count()).toBe(0);
      expect(await page.getByTestId('renewal-of').count()).toBe(0);
      const withJustification = await call(page, 'ceremony:selectScenario', [
        first,
        { scenario_id: 'p0-role', evidence: { incident_ref: 'INC-DRILL-P0-042', blocker: 'DRILL: the platform role cannot terminate the runaway production instances', approver: '@alice', cleanup_owner: '@bob', renewal_justification: 'DRILL: the fleet is still scaling and needs a second session' }, reason: 'DRILL: P0 runaway fleet needs the breakglass role to stop it' },
      ]);
      expect(withJustification).toMatchObject({ ok: false, error: { message: expect.stringContaining('renewal justification: only a renewal (a ceremony linked to an earlier one) has one') } });
      expect(entriesOf(first).map((e) => e.kind)).not.toContain('scenario_selected');
      await fillRoleScenario(page, 'INC-DRILL-P0-042');
      await scenarioLocked(page);
      await expect.poll(() => heading(page).textContent()).toContain('2. Notify the founders before invoking');
      const firstCode = await notifyFounders(page);
      await lockStep(page, 'notify');
      const firstExpiresAt = clock().getTime() + 60 * MINUTE;
      const firstExpiration = isoSeconds(firstExpiresAt);
      await recordRoleSession(page, firstExpiresAt, 'taha-inc-drill-p0');
      await lockStep(page, 'role_session');

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

      const firstBefore = await ceremony().getState(first);
      if (!firstBefore.ok) throw new Error(firstBefore.error.message);
      expect(firstBefore.value.role_session).toMatchObject({ role_arn: ROLE_ARN, expiration: firstExpiration });
      const firstEntries = entriesOf(first).length;
      const firstHead = app.core.journal.head(first)!;
      expect(app.core.journal.checkpoints(first).map((c) => c.step)).toEqual(['scenario', 'notify', 'role_session']);

      // An extension of the first session through the bridge: refused, nothing journalled.
      let shape = journalShape(app);
      const extension = await call(page, 'ceremony:recordRoleSession', [
        first,
        { source: 'vault', role_arn: ROLE_ARN, session_started_at: clock().toISOString(), expiration: new Date(clock().getTime() + 60 * MINUTE).toISOString() },
      ]);
      expect(extension).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('start a new ceremony linked to this one') } });
      expect(journalShape(app)).toEqual(shape);

      // Back to the start screen: it resumes the first ceremony; no runbook choice starts a renewal.
      await press(page.getByTestId('leave'));
      await expect.poll(() => page.getByTestId('resume-list').textContent()).toContain(first);
      expect(await page.getByRole('button', { name: /renew|link/i }).count()).toBe(0);
      expect(await page.locator('input[name="type"]').count()).toBe(2);

      // Something to link to that is not a role session: a root-login ceremony (a legitimate start).
      const root = await call(page, 'ceremony:start', [{ type: 'root-login', drill: true }]);
      if (!root.ok) throw new Error('could not start the ceremony to link to');
      const rootId = root.value.ceremony_id as string;

      // Main refuses every link the runbook does not allow, each with a clear reason and nothing journalled.
      shape = journalShape(app);
      const refusals: Array<[string, Record<string, unknown>, string, string]> = [
        ['a root-login ceremony as the renewal', { type: 'root-login', drill: true, linked_ceremony_id: first }, 'invalid-input', 'only a breakglass-role ceremony can be linked (a renewal of a role session)'],
        ['a link to a root-login ceremony', { type: 'breakglass-role', drill: true, linked_ceremony_id: rootId }, 'invalid-input', 'linked ceremony: a renewal links to a breakglass-role ceremony that recorded its role session'],
        ['a link to no ceremony', { type: 'breakglass-role', drill: true, linked_ceremony_id: 'bg-20260101-deadbeef' }, 'not-found', 'linked ceremony: no ceremony "bg-20260101-deadbeef" in this journal'],
        ['a real renewal in a --drill app', { type: 'breakglass-role', drill: false, linked_ceremony_id: first }, 'not-authorised', 'This app was started with --drill'],
      ];
      for (const [what, args, code, message] of refusals) {
        const result = await call(page, 'ceremony:start', [args]);
        expect(result, what).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message) } });
        expect(journalShape(app), what).toEqual(shape);
      }
      // A start cannot carry an expiration (or anything else) to stretch a session: unknown fields are refused at the door.
      const stretched = await call(page, 'ceremony:start', [{ type: 'breakglass-role', drill: true, linked_ceremony_id: first, expiration: new Date(clock().getTime() + 60 * MINUTE).toISOString() }]);
      expect(stretched).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
      expect(journalShape(app)).toEqual(shape);

      // The renewal, from the first ceremony's own screen: the panel says what a renewal is, and
      // starting it opens a NEW ceremony linked to the first.
      await press(page.getByTestId('resume').filter({ hasText: first }));
      await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
      await press(page.getByTestId('renewal-panel').locator('summary'));
      expect(await page.getByTestId('renewal-panel').textContent()).toContain('This session is not extended');
      await press(page.getByTestId('start-renewal'));
      await expect.poll(() => page.getByTestId('renewal-of').textContent()).toContain(`Renewal of ${first}`);
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      const renewalSummary = (await ceremony().list()).find((c) => c.ceremony_id !== first && c.ceremony_id !== rootId)!;
      const renewalId = renewalSummary.ceremony_id;
      const renewal = await ceremony().getState(renewalId);
      if (!renewal.ok) throw new Error(renewal.error.message);
      expect(renewalId).not.toBe(first);
      expect(renewal.value.operator).toEqual(firstBefore.value.operator);
      // A second renewal while this one is open: refused by main, nothing journalled.
      const shapeWithRenewal = journalShape(app);
      expect(await call(page, 'ceremony:start', [{ type: 'breakglass-role', drill: true, linked_ceremony_id: first }])).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: `linked ceremony: ${renewalId} already renews ${first} and is still open; finish or abort it first` },
      });
      expect(journalShape(app)).toEqual(shapeWithRenewal);
      await press(page.getByTestId('leave'));
      expect(renewal.value).toMatchObject({ type: 'breakglass-role', drill: true, linked_ceremony_id: first, role_session: null, scenario: null, phase: 'ceremony', current_step: 'scenario' });
      expect((renewal.value.steps as Array<{ id: string; status: string }>).map((s) => [s.id, s.status])).toEqual([
        ['scenario', 'open'],
        ['notify', 'pending'],
        ['role_session', 'pending'],
        ['minimal_action', 'pending'],
        ['sign_out', 'pending'],
      ]);
      expect(entriesOf(renewalId).map((e) => [e.kind, e.payload.linked_ceremony_id])).toEqual([['ceremony_started', first]]);
      // It inherits nothing from the first: no notification, no role session, no lock.
      const renewalShape = journalShape(app);
      expect(await call(page, 'ceremony:notifyFounder', [renewalId, { contact_id: 'asad', channel: 'text', acknowledged: true }])).toMatchObject({
        ok: false,
        error: { code: 'out-of-order', message: 'Choose the scenario and lock it with a tap first.' },
      });
      expect(await call(page, 'ceremony:recordRoleSession', [renewalId, { source: 'sts', assume_role_output: assumeRoleOutput(clock().getTime() + 60 * MINUTE, 'x') }])).toMatchObject({
        ok: false,
        error: { code: 'out-of-order', message: expect.stringContaining('Notify the founders and lock that step with a key tap first') },
      });
      expect(await call(page, 'ceremony:lockStep', [renewalId, { step: 'role_session' }])).toMatchObject({ ok: false, error: { code: 'out-of-order' } });
      expect(journalShape(app)).toEqual(renewalShape);
      // And the first is exactly as it was.
      expect(entriesOf(first)).toHaveLength(firstEntries);
      expect(app.core.journal.head(first)).toEqual(firstHead);

      // The start screen offers the renewal to resume; the renewal runs its own ceremony, by keyboard.
      const resumeRenewal = page.getByTestId('resume').filter({ hasText: renewalId });
      await expect.poll(() => resumeRenewal.count()).toBe(1);
      await screenshot(page, 'renewal-03-start-screen');
      await press(resumeRenewal);
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      // Without its own justification: refused, naming the ceremony it renews, on the field by its label.
      await fillRoleScenario(page, 'INC-DRILL-P0-042');
      await expect.poll(() => page.getByTestId('refusal').textContent()).toContain(
        `Renewal justification (renewals only): this ceremony renews ${first}; a renewal is a separate incident and needs its own justification`,
      );
      expect(await page.getByTestId('refusal').getAttribute('data-field')).toBe('evidence.renewal_justification');
      expect(await page.getByTestId('recorded-scenario').count()).toBe(0);
      const justification = 'DRILL: the fleet respawns from a second autoscaling group the first session did not reach';
      await fillRoleScenario(page, 'INC-DRILL-P0-042', justification);
      await scenarioLocked(page);
      await press(rail(page, 'scenario').getByRole('button'));
      await expect.poll(() => page.getByTestId('recorded-scenario').isVisible()).toBe(true);
      expect(await page.getByTestId('recorded-scenario').textContent()).toContain(`renewal_justification${justification}`);
      await screenshot(page, 'renewal-04-renewal-scenario');
      await press(page.getByRole('button', { name: 'Back to the current step' }));
      // Its own notification, with its own witness code.
      await expect.poll(() => heading(page).textContent()).toContain('2. Notify the founders before invoking');
      const renewalCode = await notifyFounders(page);
      expect(renewalCode).not.toBe(firstCode);
      await lockStep(page, 'notify');
      // Its own role session, with its own expiration.
      advanceMinutes(2);
      const renewalExpiresAt = clock().getTime() + 60 * MINUTE;
      await recordRoleSession(page, renewalExpiresAt, 'taha-inc-drill-p0-renewal');
      await lockStep(page, 'role_session');
      await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
      await screenshot(page, 'renewal-05-renewal-session');

      // The journal behind the screens: two ceremonies, each with its own taps; the first unchanged.
      const renewed = await ceremony().getState(renewalId);
      if (!renewed.ok) throw new Error(renewed.error.message);
      expect(renewed.value.linked_ceremony_id).toBe(first);
      expect(renewed.value.scenario?.evidence.renewal_justification).toBe(justification);
      expect(renewed.value.witness.notify?.text).toBe(renewalCode);
      expect(renewed.value.role_session).toMatchObject({ role_arn: ROLE_ARN, expiration: isoSeconds(renewalExpiresAt), approver: '@alice', cleanup_owner: '@bob' });
      expect(app.core.journal.checkpoints(renewalId).map((c) => [c.ceremony_id, c.step])).toEqual([
        [renewalId, 'scenario'],
        [renewalId, 'notify'],
        [renewalId, 'role_session'],
      ]);
      const firstAfter = await ceremony().getState(first);
      if (!firstAfter.ok) throw new Error(firstAfter.error.message);
      expect(firstAfter.value.role_session).toEqual(firstBefore.value.role_session);
      expect(firstAfter.value.linked_ceremony_id).toBeNull();
      expect(entriesOf(first)).toHaveLength(firstEntries);
      expect(app.core.journal.head(first)).toEqual(firstHead);
      expect(JSON.stringify(entriesOf(first))).not.toContain(renewalId);
      expect(app.core.journal.checkpoints(first).map((c) => c.step)).toEqual(['scenario', 'notify', 'role_session']);
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
      expect(bundle.entries[0]!.payload).toMatchObject({ type: 'breakglass-role', drill: true, linked_ceremony_id: first });
      const verified = await verifyExported(app, bundlePath);
      expect(verified.out).toContain(`INCOMPLETE (DRILL): ${renewalId}`);
      expect(verified.code, verified.out + verified.err).toBe(4); // the renewal is still open: not signed out
      expect(verified.out).toMatch(/checkpoints\s+3: scenario \(touched\), notify \(touched\), role_session \(touched\)/);
      expect(verified.out).toContain(`renewal of   ${first} (a new ceremony, not an extension)`);
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }

    // A real ceremony renewing a drill: the same journal, opened by an app that runs real ceremonies
    // (no key plugged in; starting needs none). Refused; nothing journalled.
    app = await openApp(chromium(), dataDir, { clock, drillOnly: false, realDiscovery: () => ({ list: async () => [], open: async () => Promise.reject(new Error('no key')) }) });
    page = app.page;
    try {
      expect(app.core.journal.entries(first).some((e) => e.kind === 'role_session_started')).toBe(true);
      const shape = journalShape(app);
      const realRenewal = await call(page, 'ceremony:start', [{ type: 'breakglass-role', drill: false, linked_ceremony_id: first }]);
      expect(realRenewal).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'linked ceremony: a drill renews only a drill, a real ceremony only a real one' } });
      expect(journalShape(app)).toEqual(shape);
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('aborts a root-login ceremony after notify with a reason: shown with its time, journalled, final, not resumable, exported bundle verifies', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const { clock } = movableClock();
    const app = await openApp(chromium(), dataDir, { clock });
    const { page } = app;
    const ceremony = () => app.core.ceremony(true)!;
    try {
      await expect.poll(() => page.getByTestId('enrol-primary').isVisible()).toBe(true);
      await press(page.getByTestId('enrol-primary'));
      await expect.poll(() => page.getByTestId('enrolled-key').textContent(), { timeout: 15_000 }).toContain('primary: virtual key');
      await press(page.getByTestId('start'));
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      const [summary] = await ceremony().list();
      const id = summary!.ceremony_id;
      const entries = () => app.core.journal.entries(id);

      // 1-3: scenario, the one SSO try, the founders told; then the ceremony stops before sign-in.
      await typeInto(box(page, 'Exact error text'), 'DRILL: IAM Identity Center portal returns HTTP 503 for every user');
      await press(page.getByTestId('ev-last_good_sso_login_at-ago-180'));
      await typeInto(box(page, 'SEV-0 incident'), 'INC-DRILL-001');
      await typeInto(box(page, 'One-line reason (goes into the audit row)'), 'DRILL: production database failover needs AWS API access now');
      await page.keyboard.press('Enter');
      await scenarioLocked(page);
      await expect.poll(() => heading(page).textContent()).toContain('2. Confirm SSO');
      await press(page.getByTestId('probe-sso'));
      await expect.poll(() => heading(page).textContent()).toContain('3. Notify');
      await notifyFounders(page);
      await lockStep(page, 'notify');
      await expect.poll(() => heading(page).textContent()).toContain('4. Sign in');

      // The abort form, opened from the keyboard.
      const abortForm = page.locator('details', { has: page.locator('summary', { hasText: 'Abort this ceremony' }) });
      await expect.poll(() => abortForm.count()).toBe(1);
      await press(abortForm.locator('summary'));
      await expect.poll(() => abortForm.getAttribute('open')).not.toBeNull();
      const why = box(page, 'Why stop');
      const before = entries().length;
      const refusedReason = async (reason: string, message: string) => {
        await typeInto(why, reason);
        await page.keyboard.press('Enter');
        await expect.poll(async () => (await abortForm.getByTestId('refusal').textContent())?.toLowerCase()).toContain(message.toLowerCase());
        expect(await abortForm.getByTestId('refusal').getAttribute('data-code')).toBe('invalid-input');
        // The field itself is marked, by the field the refusal names (not by its words).
        expect(await why.getAttribute('aria-invalid')).toBe('true');
        expect(entries()).toHaveLength(before);
        expect(entries().some((e) => e.kind === 'ceremony_aborted')).toBe(false);
        expect(await heading(page).textContent()).toContain('4. Sign in');
      };
      // Empty, blank, and secret-looking reasons: each refused, visibly, nothing journalled.
      await refusedReason('', 'why stop: write at least 5 characters');
      await screenshot(page, 'abort-01-empty-reason');
      await refusedReason('    ', 'why stop: write at least 5 characters');
      const password = `Tr0ub4dor-${randomBytes(6).toString('hex')}`;
      await refusedReason(`DRILL: SSO is back; the root password is ${password}`, 'why stop: this looks like it holds a secret (password in text)');
      // The refusal never quotes the secret, and the field no longer holds it.
      expect(await abortForm.getByTestId('refusal').textContent()).not.toContain(password);
      await expect.poll(() => why.inputValue()).toBe('');
      // An access key id is a name, not a secret (issue 15); the secret access key is refused.
      const secretKey = randomBytes(30).toString('base64');
      await refusedReason(`DRILL: stopping, the secret ${secretKey} is not needed`, 'why stop: this looks like it holds a secret (AWS secret access key)');
      expect(await abortForm.getByTestId('refusal').textContent()).not.toContain(secretKey);
      await expect.poll(() => why.inputValue()).toBe('');
      await screenshot(page, 'abort-02-secret-reason');

      // The real reason: the ceremony is aborted; the screen says why and when.
      const reason = 'DRILL: SSO came back; the standard SSO path works again';
      await typeInto(why, reason);
      await page.keyboard.press('Enter');
      await expect.poll(() => heading(page).textContent()).toContain('Ceremony aborted');
      const abortEntry = entries().at(-1)!;
      expect(abortEntry.kind).toBe('ceremony_aborted');
      expect(abortEntry.payload).toEqual({ reason });
      expect(entries()).toHaveLength(before + 1);
      expect(Math.abs(Date.parse(abortEntry.recorded_at) - clock().getTime())).toBeLessThan(MINUTE);
      expect(await page.locator('.lead').first().textContent()).toBe(`Aborted ${utc(abortEntry.recorded_at)}: ${reason}`);
      expect(await page.locator('main').textContent()).toContain('Nothing more can be recorded except notes.');
      // No way on from here: no abort form, no lock button, no step form.
      expect(await page.locator('summary', { hasText: 'Abort this ceremony' }).count()).toBe(0);
      expect(await page.getByTestId('lock-step').count()).toBe(0);
      expect(await page.getByTestId('select-account').count()).toBe(0);
      // The rail does not call the step where it stopped "now".
      expect(await page.getByTestId('rail-sign_in').textContent()).toContain('not reached (aborted)');
      await screenshot(page, 'abort-03-aborted');

      const state = await ceremony().getState(id);
      if (!state.ok) throw new Error(state.error.message);
      expect(state.value).toMatchObject({ phase: 'aborted', current_step: null, aborted: { seq: abortEntry.seq, reason, at: abortEntry.recorded_at } });
      expect(Object.entries(state.value.allowed).filter(([, a]) => a.ok).map(([n]) => n)).toEqual(['add_note']);

      // Main refuses every further command through the bridge; nothing is journalled.
      const finished = `this ceremony was aborted at seq ${abortEntry.seq}; only notes can be added (and the closing seal)`;
      const headAfterAbort = app.core.journal.head(id);
      const attempts: Array<[string, unknown]> = [
        ['ceremony:selectAccount', { account_name: 'Production' }],
        ['ceremony:recordSignIn', { ip_address: '203.0.113.7' }],
        ['ceremony:lockStep', { step: 'sign_in' }],
        ['ceremony:notifyFounder', { contact_id: 'asad', channel: 'text', acknowledged: true }],
        ['ceremony:abort', { reason: 'DRILL: aborting a second time to move the reason' }],
      ];
      for (const [channel, args] of attempts) {
        expect(await call(page, channel, [id, args]), channel).toMatchObject({ ok: false, error: { code: 'finished', message: finished } });
      }
      expect(app.core.journal.head(id)).toEqual(headAfterAbort);

      // Notes remain possible, from the keyboard, as the screen says.
      const noteForm = page.locator('details', { has: page.locator('summary', { hasText: 'Add a note or correction' }) });
      await press(noteForm.locator('summary'));
      await typeInto(box(page, 'Note'), 'DRILL: founders told in the thread that the ceremony stopped');
      await page.keyboard.press('Enter');
      await expect.poll(() => entries().at(-1)?.kind).toBe('note');
      expect(entries()).toHaveLength(before + 2);
      expect(await heading(page).textContent()).toContain('Ceremony aborted');

      // The start screen does not offer to resume it, but lists it as aborted, to export or annotate.
      await press(page.getByTestId('leave'));
      await expect.poll(() => heading(page).textContent()).toContain('Break glass');
      await expect.poll(() => page.getByTestId('start').isVisible()).toBe(true);
      expect(await page.getByTestId('resume-list').count()).toBe(0);
      expect(await page.getByTestId('resume').count()).toBe(0);
      expect(await page.getByTestId('aborted-list').textContent()).toContain(id);
      const list = await call(page, 'ceremony:list', []);
      expect(list).toMatchObject({ ok: true, value: [{ ceremony_id: id, phase: 'aborted', current_step: null }] });
      await screenshot(page, 'abort-04-start-screen');

      // Export from the aborted ceremony's own screen: the bundle holds the abort and the note,
      // and verifies with its two checkpoints; the session log says it was aborted.
      await press(page.getByTestId(`open-aborted-${id}`));
      await expect.poll(() => heading(page).textContent()).toContain('Ceremony aborted');
      await press(page.getByTestId('export'));
      await expect.poll(() => page.getByTestId('exported').isVisible()).toBe(true);
      const bundlePath = (await page.getByTestId('exported').locator('code').first().textContent())!;
      expect(await page.locator('#session-log-text').inputValue()).toContain(`> **ABORTED** at ${abortEntry.recorded_at}: ${reason}`);
      const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as { entries: JournalEntry[]; checkpoints: Array<{ step: string }> };
      // The export sealed the aborted ceremony with one more tap: nothing in it is unsigned.
      expect(bundle.entries.map((e) => e.kind).slice(-3)).toEqual(['ceremony_aborted', 'note', 'step_locked']);
      expect(bundle.entries.find((e) => e.kind === 'ceremony_aborted')!.payload).toEqual({ reason });
      expect(bundle.checkpoints.map((c) => c.step)).toEqual(['scenario', 'notify', 'seal']);
      const verified = await verifyExported(app, bundlePath);
      expect(verified.code, verified.out + verified.err).toBe(6);
      expect(verified.out).toContain(`DRILL INTACT: ${id}`);
      expect(verified.out).toMatch(/checkpoints\s+3: scenario \(touched\), notify \(touched\), seal \(touched\)/);
      expect(verified.out).toContain(`ABORTED      seq ${abortEntry.seq}: ${reason}`);
      expect(app.core.journal.verify(id)).toMatchObject({ ok: true });
      for (const s of [password, secretKey]) expect(readFileSync(bundlePath, 'utf8')).not.toContain(s);
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
