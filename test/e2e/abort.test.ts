// An abort midway stops the ceremony for good, through the real renderer by keyboard over the real
// core: the reason and time on screen and in the journal, every further command refused (notes
// excepted), nothing left to resume, and the exported bundle still verifies. Each test starts
// from a root-login drill driven through the core to the notify lock (support/drive-ceremony.ts),
// so a failure in one part hides none of the others.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src-shared/journal/types';
import { ceremonyDriver } from '../support/drive-ceremony';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { movableClock, openApp, press, rawInvoke, screenshot, typeInto } from './support/core';
import { utc } from './support/role-fixture';
import { box, heading, resumeTheOnly } from './support/screen';
import { verifyExported } from './support/verify-export';

const MINUTE = 60_000;
const REASON = 'DRILL: SSO came back; the standard SSO path works again';
const NOTE = 'DRILL: founders told in the thread that the ceremony stopped';

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };
const call = (page: Page, channel: string, args: unknown[]) => rawInvoke(page, channel, args) as Promise<Result>;

describe.runIf(chromiumAvailable())('abort, by keyboard through the real renderer (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  /**
   * A root-login drill through the notify lock (scenario, the one SSO try, both founders told),
   * reached through the core; `aborted` also aborts it with REASON and adds NOTE. The window opens
   * on the start screen, or, when not aborted, on the ceremony (4. Sign in) resumed.
   */
  async function open(aborted: boolean) {
    const { clock } = movableClock();
    let id = '';
    const app = await openApp(chromium(), tempDir(), { clock }, async (handlers) => {
      const driver = ceremonyDriver(handlers);
      await driver.enrolDrillKey();
      id = await driver.throughNotify(clock());
      if (!aborted) return;
      await driver.call('ceremony:abort', id, { reason: REASON });
      await driver.call('ceremony:addNote', id, { text: NOTE });
    });
    if (!aborted) {
      await resumeTheOnly(app.page);
      await expect.poll(() => heading(app.page).textContent()).toContain('4. Sign in');
    }
    const entries = (): JournalEntry[] => app.core.journal.entries(id);
    return { app, page: app.page, id, clock, entries, ceremony: () => app.core.ceremony(true)! };
  }

  /** The abort form, opened from the keyboard. */
  async function abortForm(page: Page) {
    const form = page.locator('details', { has: page.locator('summary', { hasText: 'Abort this ceremony' }) });
    await expect.poll(() => form.count()).toBe(1);
    await press(form.locator('summary'));
    await expect.poll(() => form.getAttribute('open')).not.toBeNull();
    return form;
  }

  it('refuses an empty, blank or secret-looking abort reason, visibly, journalling nothing and never quoting the secret', async () => {
    const { app, page, id, entries } = await open(false);
    try {
      const form = await abortForm(page);
      const why = box(page, 'Why stop');
      const before = entries().length;
      const refusedReason = async (reason: string, message: string) => {
        await typeInto(why, reason);
        await page.keyboard.press('Enter');
        await expect
          .poll(async () => (await form.getByTestId('refusal').textContent())?.toLowerCase())
          .toContain(message.toLowerCase());
        expect(await form.getByTestId('refusal').getAttribute('data-code')).toBe('invalid-input');
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
      await refusedReason(
        `DRILL: SSO is back; the root password is ${password}`,
        'why stop: this looks like it holds a secret (password in text)',
      );
      // The refusal never quotes the secret, and the field no longer holds it.
      expect(await form.getByTestId('refusal').textContent()).not.toContain(password);
      await expect.poll(() => why.inputValue()).toBe('');
      // An access key id is a name, not a secret (issue 15); the secret access key is refused.
      const secretKey = randomBytes(30).toString('base64');
      await refusedReason(
        `DRILL: stopping, the secret ${secretKey} is not needed`,
        'why stop: this looks like it holds a secret (AWS secret access key)',
      );
      expect(await form.getByTestId('refusal').textContent()).not.toContain(secretKey);
      await expect.poll(() => why.inputValue()).toBe('');
      await screenshot(page, 'abort-02-secret-reason');
      // Neither secret reached the journal, nor a bundle exported from it.
      const exported = await call(page, 'ceremony:export', [id]);
      if (!exported.ok) throw new Error(exported.error.message);
      for (const s of [password, secretKey]) {
        expect(JSON.stringify(entries())).not.toContain(s);
        expect(readFileSync(exported.value.bundle_path as string, 'utf8')).not.toContain(s);
      }
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('aborts with a reason: shown with its time, journalled, final; main refuses every command but a note', async () => {
    const { app, page, id, clock, entries, ceremony } = await open(false);
    try {
      await abortForm(page);
      const before = entries().length;
      // The real reason: the ceremony is aborted; the screen says why and when.
      await typeInto(box(page, 'Why stop'), REASON);
      await page.keyboard.press('Enter');
      await expect.poll(() => heading(page).textContent()).toContain('Ceremony aborted');
      const abortEntry = entries().at(-1)!;
      expect(abortEntry.kind).toBe('ceremony_aborted');
      expect(abortEntry.payload).toEqual({ reason: REASON });
      expect(entries()).toHaveLength(before + 1);
      expect(Math.abs(Date.parse(abortEntry.recorded_at) - clock().getTime())).toBeLessThan(MINUTE);
      expect(await page.locator('.lead').first().textContent()).toBe(
        `Aborted ${utc(abortEntry.recorded_at)}: ${REASON}`,
      );
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
      expect(state.value).toMatchObject({
        phase: 'aborted',
        current_step: null,
        aborted: { seq: abortEntry.seq, reason: REASON, at: abortEntry.recorded_at },
      });
      expect(
        Object.entries(state.value.allowed)
          .filter(([, a]) => a.ok)
          .map(([n]) => n),
      ).toEqual(['add_note']);

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
        expect(await call(page, channel, [id, args]), channel).toMatchObject({
          ok: false,
          error: { code: 'finished', message: finished },
        });
      }
      expect(app.core.journal.head(id)).toEqual(headAfterAbort);

      // Notes remain possible, from the keyboard, as the screen says.
      const noteForm = page.locator('details', {
        has: page.locator('summary', { hasText: 'Add a note or correction' }),
      });
      await press(noteForm.locator('summary'));
      await typeInto(box(page, 'Note'), NOTE);
      await page.keyboard.press('Enter');
      await expect.poll(() => entries().at(-1)?.kind).toBe('note');
      expect(entries()).toHaveLength(before + 2);
      expect(await heading(page).textContent()).toContain('Ceremony aborted');
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('an aborted ceremony is not offered to resume but listed as aborted; its export holds the abort and verifies', async () => {
    const { app, page, id, entries } = await open(true);
    try {
      const abortEntry = entries().find((e) => e.kind === 'ceremony_aborted')!;
      // The start screen does not offer to resume it, but lists it as aborted, to export or annotate.
      await expect.poll(() => heading(page).textContent()).toContain('Break glass');
      await expect.poll(() => page.getByTestId('start').isVisible()).toBe(true);
      expect(await page.getByTestId('resume-list').count()).toBe(0);
      expect(await page.getByTestId('resume').count()).toBe(0);
      await expect.poll(() => page.getByTestId('aborted-list').textContent()).toContain(id);
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
      expect(await page.locator('#session-log-text').inputValue()).toContain(
        `> **ABORTED** at ${abortEntry.recorded_at}: ${REASON}`,
      );
      const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as {
        entries: JournalEntry[];
        checkpoints: Array<{ step: string }>;
      };
      // The export sealed the aborted ceremony with one more tap: nothing in it is unsigned.
      expect(bundle.entries.map((e) => e.kind).slice(-3)).toEqual(['ceremony_aborted', 'note', 'step_locked']);
      expect(bundle.entries.find((e) => e.kind === 'ceremony_aborted')!.payload).toEqual({ reason: REASON });
      expect(bundle.checkpoints.map((c) => c.step)).toEqual(['scenario', 'notify', 'seal']);
      const verified = await verifyExported(app, bundlePath);
      expect(verified.code, verified.out + verified.err).toBe(6);
      expect(verified.out).toContain(`DRILL INTACT: ${id}`);
      expect(verified.out).toMatch(/checkpoints\s+3: scenario \(touched\), notify \(touched\), seal \(touched\)/);
      expect(verified.out).toContain(`ABORTED      seq ${abortEntry.seq}: ${REASON}`);
      expect(app.core.journal.verify(id)).toMatchObject({ ok: true });
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
