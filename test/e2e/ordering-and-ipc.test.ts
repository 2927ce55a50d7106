import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../src-shared/ipc/channels';
import { dispatch, MAX_ARGS_BYTES } from '../../src-main/ipc/handle';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, rawInvoke, screenshot, type RunningApp } from './support/core';
import { SSO_DOWN } from './support/scenarios';
import { resumeTheOnly } from './support/screen';

type Api = Record<
  string,
  Record<string, (...a: unknown[]) => Promise<{ ok: boolean; error?: { code: string; message: string } }>>
>;
/** Calls the typed bridge (window.api) the way renderer code would. */
function viaBridge(page: Page, domain: string, verb: string, ...args: unknown[]) {
  return page.evaluate(
    ([d, v, a]) => (window as unknown as { api: Api }).api[d as string]![v as string]!(...(a as unknown[])),
    [domain, verb, args] as const,
  );
}

/** Drives the core directly to a given point, so each refusal test starts where it matters. */
async function ceremonyUpTo(app: RunningApp, until: 'notify-open' | 'sign-in-locked'): Promise<string> {
  const h = app.handlers;
  await h['key:enrol']({ drill: true, label: 'primary' });
  const s = await h['ceremony:start']({ type: 'root-login', drill: true });
  const id = s.ceremony_id;
  await h['ceremony:selectScenario'](id, SSO_DOWN(app.core.clock()));
  await h['ceremony:lockStep'](id, { step: 'scenario' });
  await h['ceremony:probeSso'](id, {});
  if (until === 'notify-open') return id;
  for (const contact_id of ['asad', 'ian'])
    await h['ceremony:notifyFounder'](id, { contact_id, channel: 'call', acknowledged: true });
  await h['ceremony:lockStep'](id, { step: 'notify' });
  await h['ceremony:selectAccount'](id, { account_name: 'Staging' });
  await h['ceremony:recordSignIn'](id, {});
  await h['ceremony:lockStep'](id, { step: 'sign_in' });
  return id;
}

describe.runIf(chromiumAvailable())('ordering violations and malformed IPC are refused by main (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('login before notify: not offered in the UI, refused through the bridge, nothing journalled', async () => {
    const app = await openApp(chromium(), tempDir());
    try {
      const id = await ceremonyUpTo(app, 'notify-open');
      await app.page.reload();
      await resumeTheOnly(app.page);
      const { page } = app;
      // The restarted window lands on the open step: notify. Sign-in is not reachable.
      await expect.poll(() => page.locator('h1').first().textContent()).toContain('3. Notify');
      expect(await page.getByTestId('rail-sign_in').locator('button').isDisabled()).toBe(true);
      expect(await page.getByTestId('lock-step').isDisabled()).toBe(true);
      expect(await page.getByTestId('lock-panel').textContent()).toContain('notify Asad and Ian');
      await screenshot(page, '10-login-before-notify-ui');

      const before = app.core.journal.entries(id).length;
      const select = await viaBridge(page, 'ceremony', 'selectAccount', id, { account_name: 'Production' });
      expect(select).toMatchObject({ ok: false, error: { code: 'out-of-order' } });
      expect(select.error!.message).toMatch(/notif/i);
      expect(await viaBridge(page, 'ceremony', 'recordSignIn', id, {})).toMatchObject({
        ok: false,
        error: { code: 'out-of-order' },
      });
      expect(await viaBridge(page, 'ceremony', 'lockStep', id, { step: 'sign_in' })).toMatchObject({ ok: false });
      expect(await viaBridge(page, 'ceremony', 'probeSso', id, {})).toMatchObject({
        ok: false,
        error: { code: 'one-try' },
      });
      expect(app.core.journal.entries(id)).toHaveLength(before);
    } finally {
      await app.close();
    }
  });

  it('sign-out and actions before the audit row: refused in the UI and through the bridge', async () => {
    const app = await openApp(chromium(), tempDir());
    try {
      const id = await ceremonyUpTo(app, 'sign-in-locked');
      await app.page.reload();
      await resumeTheOnly(app.page);
      const { page } = app;
      await expect.poll(() => page.locator('h1').first().textContent()).toContain('5. Write the agent_audit_log row');
      expect(await page.getByTestId('rail-sign_out').locator('button').isDisabled()).toBe(true);
      expect(await page.getByTestId('rail-minimal_action').locator('button').isDisabled()).toBe(true);
      await screenshot(page, '11-sign-out-before-audit-row-ui');

      const before = app.core.journal.entries(id).length;
      for (const [verb, args] of [
        ['recordSignOut', {}],
        ['logAction', { text: 'ran: aws ec2 describe-instances' }],
        ['finishMinimalAction', { summary: 'skipping the audit row' }],
      ] as const) {
        const result = await viaBridge(page, 'ceremony', verb, id, args);
        expect(result, verb).toMatchObject({ ok: false, error: { code: 'out-of-order' } });
        expect(result.error!.message, verb).toMatch(/audit row/i);
      }
      expect(await viaBridge(page, 'ceremony', 'lockStep', id, { step: 'sign_out' })).toMatchObject({ ok: false });
      expect(app.core.journal.entries(id)).toHaveLength(before);
      // Going back never rewrites: a locked step refuses a new record.
      expect(await viaBridge(page, 'ceremony', 'selectAccount', id, { account_name: 'Production' })).toMatchObject({
        ok: false,
        error: { code: 'locked' },
      });
    } finally {
      await app.close();
    }
  });

  it('malformed payloads: wrong types, extra fields, unknown channels, oversized strings, foreign senders', async () => {
    const app = await openApp(chromium(), tempDir());
    try {
      const { page } = app;
      const id = await ceremonyUpTo(app, 'notify-open');
      const before = app.core.journal.entries(id).length;
      const expectRefused = async (channel: string, args: unknown[], code: string) => {
        const result = (await rawInvoke(page, channel, args)) as {
          ok: boolean;
          error?: { code: string; message: string };
        };
        expect(result, `${channel} ${JSON.stringify(args).slice(0, 80)}`).toMatchObject({ ok: false, error: { code } });
        return result.error!.message;
      };
      // Wrong types.
      await expectRefused(
        'ceremony:notifyFounder',
        [id, { contact_id: 'asad', channel: 'pigeon', acknowledged: true }],
        'invalid-argument',
      );
      await expectRefused(
        'ceremony:notifyFounder',
        [id, { contact_id: 'asad', channel: 'text', acknowledged: 'yes' }],
        'invalid-argument',
      );
      await expectRefused('ceremony:get', [42], 'invalid-argument');
      await expectRefused('ceremony:get', ['../../etc/passwd'], 'invalid-argument');
      await expectRefused('key:enrol', [{ drill: true, label: 'tertiary' }], 'invalid-argument');
      // Extra fields and extra arguments: a password field has nowhere to go.
      const extra = await expectRefused('ceremony:recordSignIn', [id, { password: 'hunter2' }], 'invalid-argument');
      expect(extra).not.toContain('hunter2');
      await expectRefused(
        'ceremony:notifyFounder',
        [id, { contact_id: 'asad', channel: 'text', acknowledged: true, mfa_code: '123456' }],
        'invalid-argument',
      );
      await expectRefused('journal:status', ['unexpected'], 'invalid-argument');
      await expectRefused('ceremony:get', [id, 'second'], 'invalid-argument');
      // Unknown channels, including prototype names.
      for (const channel of ['ceremony:drop', 'journal:delete', '__proto__', 'constructor', 'toString'])
        await expectRefused(channel, [], 'unknown-channel');
      // Oversized: over the field limit, and over the whole-call limit.
      await expectRefused('ceremony:addNote', [id, { text: 'x'.repeat(4001) }], 'invalid-argument');
      await expectRefused('ceremony:addNote', [id, { text: 'x'.repeat(MAX_ARGS_BYTES + 10) }], 'too-large');
      // Only the AWS console sign-in may be opened.
      await expectRefused('app:openConsole', ['https://evil.example/signin.aws.amazon.com/'], 'forbidden');
      await expectRefused('app:openConsole', ['http://signin.aws.amazon.com/console'], 'forbidden');
      expect(app.opened).toEqual([]);
      // Every channel refuses a garbage argument list as invalid, never as a crash.
      for (const channel of INVOKE_CHANNELS) {
        const result = (await rawInvoke(page, channel, [{ bogus: 1 }, 2, 3, 4])) as {
          ok: boolean;
          error?: { code: string };
        };
        expect(result, channel).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
      }
      // A call from anything but the window's main frame is refused before validation.
      const forbidden = await dispatch('journal:status', [], () => false, app.rawHandlers);
      expect(forbidden).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // Nothing of this reached the journal; the renderer still works.
      expect(app.core.journal.entries(id)).toHaveLength(before);
      expect(app.core.journal.verify(id)).toMatchObject({ ok: true });
      expect(await viaBridge(page, 'ceremony', 'get', id)).toMatchObject({ ok: true });
    } finally {
      await app.close();
    }
  });

  it('a cancelled tap is refused, journalled and leaves the step open; the drill touch button locks it', async () => {
    const app = await openApp(chromium(), tempDir(), { drillTouchDelayMs: null });
    try {
      const { page } = app;
      await press(page.getByTestId('enrol-primary'));
      await expect.poll(() => page.getByTestId('touch-prompt').isVisible()).toBe(true);
      await press(page.getByTestId('simulate-touch'));
      await expect.poll(() => page.getByTestId('enrolled-key').count(), { timeout: 15_000 }).toBe(1);
      await press(page.getByTestId('start'));
      const id = (await app.core.ceremony(true)!.list())[0]!.ceremony_id;
      await app.handlers['ceremony:selectScenario'](id, SSO_DOWN(app.core.clock()));
      await app.page.reload();
      await resumeTheOnly(page);
      await expect.poll(() => page.getByTestId('rail-scenario').getAttribute('data-status')).toBe('done');

      await press(page.getByTestId('lock-step'));
      await expect.poll(() => page.getByTestId('touch-prompt').textContent()).toContain('Touch your key now');
      await screenshot(page, '12-touch-prompt');
      await press(page.getByRole('button', { name: 'Cancel the tap' }));
      await expect.poll(() => page.getByTestId('refusal').getAttribute('data-code')).toBe('tap-failed');
      await expect.poll(() => page.getByTestId('last-tap-failure').textContent()).toContain('cancelled');
      expect(await page.getByTestId('rail-scenario').getAttribute('data-status')).toBe('done');
      await screenshot(page, '13-tap-cancelled');

      await press(page.getByTestId('lock-step'));
      await expect.poll(() => page.getByTestId('simulate-touch').isVisible()).toBe(true);
      await press(page.getByTestId('simulate-touch'));
      await expect
        .poll(() => page.getByTestId('rail-scenario').getAttribute('data-status'), { timeout: 15_000 })
        .toBe('locked');
      const state = await app.core.ceremony(true)!.getState(id);
      expect(state.ok && state.value.tap_failures.map((f) => f.code)).toEqual(['cancelled']);
      // Simulating a touch when nothing waits does nothing.
      expect(await viaBridge(page, 'key', 'simulateTouch')).toMatchObject({ ok: true, value: { touched: false } });
    } finally {
      await app.close();
    }
  });
});
