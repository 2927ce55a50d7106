// A breakglass-role session is never extended, through the real renderer by keyboard over the
// real core. A second session is a renewal: a NEW ceremony linked to the first, with its own
// scenario (and renewal justification), its own notification and its own key taps; the first
// ceremony and its expiration stay exactly as journalled (cleanup runbook: "This is treated as a
// SEPARATE incident"). Each test starts from a first role ceremony with its session recorded,
// reached through the core (support/role-fixture.ts), so one failing part hides none of the others.
// (The abort half of this walkthrough is test/e2e/abort.test.ts.)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Handlers } from '../../src-main/ipc/handle';
import type { JournalEntry } from '../../src-shared/journal/types';
import { ceremonyDriver } from '../support/drive-ceremony';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press, rawInvoke, screenshot, typeInto, type RunningApp } from './support/core';
import { awsTime, driveRoleDrill, stsCredentials, utc } from './support/role-fixture';
import { box, heading, lockStep, notifyFounders, rail, resumeTheOnly } from './support/screen';
import { verifyExported } from './support/verify-export';

const ROLE_ARN = 'arn:aws:iam::039624954211:role/breakglass-emergency';
const MINUTE = 60_000;
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

describe.runIf(chromiumAvailable())('renewal of a role session, by keyboard through the real renderer (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  /**
   * The first role ceremony, through the core: started only (`started`), or with its session
   * recorded and locked (`role-session`); `pastExpiry` then moves the clock 61 minutes on, and
   * `renewal` also starts a renewal linked to it. The window opens on the start screen.
   */
  async function open(stage: 'started' | 'role-session', options: { pastExpiry?: boolean; renewal?: boolean } = {}) {
    const dataDir = tempDir();
    const { clock, advanceMinutes } = movableClock();
    let renewalId = '';
    const prepare = async (handlers: Handlers) => {
      await driveRoleDrill(handlers, stage, { creds: stsCredentials(), clock, advanceMinutes });
      if (options.pastExpiry) advanceMinutes(61);
      if (!options.renewal) return;
      const first = (await ceremonyDriver(handlers).call<Array<{ ceremony_id: string }>>('ceremony:list'))[0]!.ceremony_id;
      const started = await ceremonyDriver(handlers).call<{ ceremony_id: string }>('ceremony:start', { type: 'breakglass-role', drill: true, linked_ceremony_id: first });
      renewalId = started.ceremony_id;
    };
    const app = await openApp(chromium(), dataDir, { clock }, prepare);
    const ceremony = () => app.core.ceremony(true)!;
    const first = (await ceremony().list()).find((c) => c.ceremony_id !== renewalId)!.ceremony_id;
    const state = async (id: string) => {
      const s = await ceremony().getState(id);
      if (!s.ok) throw new Error(s.error.message);
      return s.value;
    };
    const entriesOf = (id: string): JournalEntry[] => app.core.journal.entries(id);
    return { app, page: app.page, dataDir, clock, advanceMinutes, ceremony, first, renewalId, state, entriesOf };
  }

  /** Runs the body with the window open, and closes it after. */
  async function withApp<T extends { app: RunningApp }>(t: T, body: (t: T) => Promise<void>): Promise<void> {
    try {
      await body(t);
      expect(t.app.blocked).toEqual([]);
    } finally {
      await t.app.close();
    }
  }

  it('a first ceremony has no renewal justification: not asked for on screen, refused by main by name', async () => {
    await withApp(await open('started'), async ({ page, first, entriesOf }) => {
      await resumeTheOnly(page);
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
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
        { source: 'vault', role_arn: ROLE_ARN, session_started_at: clock().toISOString(), expiration: new Date(clock().getTime() + 60 * MINUTE).toISOString() },
      ]);
      expect(extension).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('start a new ceremony linked to this one') } });
      expect(journalShape(app)).toEqual(shape);
    });
  });

  it('main refuses every renewal link the runbook does not allow; the start screen offers no renewal of its own', async () => {
    await withApp(await open('role-session'), async ({ app, page, first, clock }) => {
      // The start screen resumes the first ceremony; no runbook choice starts a renewal.
      await expect.poll(() => page.getByTestId('resume-list').textContent()).toContain(first);
      expect(await page.getByRole('button', { name: /renew|link/i }).count()).toBe(0);
      expect(await page.locator('input[name="type"]').count()).toBe(2);

      // Something to link to that is not a role session: a root-login ceremony (a legitimate start).
      const root = await call(page, 'ceremony:start', [{ type: 'root-login', drill: true }]);
      if (!root.ok) throw new Error('could not start the ceremony to link to');
      const rootId = root.value.ceremony_id as string;

      // Main refuses every link the runbook does not allow, each with a clear reason and nothing journalled.
      const shape = journalShape(app);
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
    });
  });

  it('starts the renewal from the first ceremony\'s screen: a NEW linked ceremony that inherits nothing', async () => {
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
      expect(await call(page, 'ceremony:start', [{ type: 'breakglass-role', drill: true, linked_ceremony_id: first }])).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: `linked ceremony: ${renewalId} already renews ${first} and is still open; finish or abort it first` },
      });
      expect(journalShape(app)).toEqual(shapeWithRenewal);
      await press(page.getByTestId('leave'));
      expect(renewal).toMatchObject({ type: 'breakglass-role', drill: true, linked_ceremony_id: first, role_session: null, scenario: null, phase: 'ceremony', current_step: 'scenario' });
      expect(renewal.steps.map((s) => [s.id, s.status])).toEqual([
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
    });
  });

  it('the renewal runs its own scenario, notification and role session; the first keeps its expiration; the bundle carries the link', async () => {
    await withApp(await open('role-session', { pastExpiry: true, renewal: true }), async ({ app, page, first, renewalId, clock, advanceMinutes, state, entriesOf }) => {
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
      // Without its own justification: refused, naming the ceremony it renews.
      await fillRoleScenario(page, 'INC-DRILL-P0-042');
      await expect.poll(() => page.getByTestId('refusal').textContent()).toContain(
        `Renewal justification: this ceremony renews ${first}; a renewal is a separate incident and needs its own justification`,
      );
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
      expect(renewed.role_session).toMatchObject({ role_arn: ROLE_ARN, expiration: isoSeconds(renewalExpiresAt), approver: '@alice', cleanup_owner: '@bob' });
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
    });
  });

  it('an app that runs real ceremonies refuses to renew a drill; nothing is journalled', async () => {
    const drill = await open('role-session');
    await drill.app.close();
    // The same journal, opened by an app that runs real ceremonies (no key plugged in; starting needs none).
    const app = await openApp(chromium(), drill.dataDir, { clock: drill.clock, drillOnly: false, realDiscovery: () => ({ list: async () => [], open: async () => Promise.reject(new Error('no key')) }) });
    await withApp({ app }, async () => {
      expect(app.core.journal.entries(drill.first).some((e) => e.kind === 'role_session_started')).toBe(true);
      const shape = journalShape(app);
      const realRenewal = await call(app.page, 'ceremony:start', [{ type: 'breakglass-role', drill: false, linked_ceremony_id: drill.first }]);
      expect(realRenewal).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'linked ceremony: a drill renews only a drill, a real ceremony only a real one' } });
      expect(journalShape(app)).toEqual(shape);
    });
  });
});
