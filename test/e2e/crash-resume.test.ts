import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, screenshot } from './support/core';
import { resumeTheOnly } from './support/screen';

describe.runIf(chromiumAvailable())('crash and resume (real journal on disk, new services, new page)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('lands on the same step with nothing lost, and the ceremony goes on', async () => {
    const dataDir = tempDir();
    const first = await openApp(chromium(), dataDir);
    const h = first.handlers;
    await h['key:enrol']({ drill: true, label: 'primary' });
    const id = (await h['ceremony:start']({ type: 'root-login', drill: true })).ceremony_id;
    await h['ceremony:selectScenario'](id, {
      scenario_id: 'mfa-lost',
      evidence: {
        device: 'DRILL YubiKey 5C serial 99',
        recovery_codes: 'none-available',
        business_need: 'DRILL: rotate the compromised production deploy key policy',
        need_deadline: new Date(Date.now() + 3 * 3600_000).toISOString(),
      },
      reason: 'DRILL: lost MFA with a deadline',
    });
    await h['ceremony:lockStep'](id, { step: 'scenario' });
    await h['ceremony:probeSso'](id, {});
    await h['ceremony:notifyFounder'](id, { contact_id: 'asad', channel: 'call', acknowledged: true });
    const before = first.core.journal.entries(id);
    const witness = (await h['ceremony:get'](id)).witness.notify!.text;
    // The crash: the window and every service go away without any goodbye.
    await first.page.context().close();
    await first.core.close();

    const second = await openApp(chromium(), dataDir);
    try {
      const { page } = second;
      // The window opens on the start screen; the person resumes the unfinished ceremony.
      await resumeTheOnly(page);
      await expect.poll(() => page.locator('h1').first().textContent()).toContain('3. Notify');
      expect(await page.getByTestId('witness-notify').locator('.witness-words').getAttribute('aria-label')).toBe(
        witness,
      );
      expect(await page.getByTestId('founder-asad').getByTestId('founder-status').textContent()).toContain('Called');
      expect(await page.getByTestId('founder-ian').textContent()).toContain('Not notified yet');
      expect(await page.getByTestId('rail-scenario').getAttribute('data-status')).toBe('locked');
      await screenshot(page, '20-resumed-at-notify');
      expect(second.core.journal.entries(id)).toEqual(before);

      // Ian, the last founder, acknowledges: one press records it and locks the step with the tap.
      await press(page.getByTestId('acked-ian'));
      await expect
        .poll(() => page.getByTestId('rail-notify').getAttribute('data-status'), { timeout: 15_000 })
        .toBe('locked');
      const ian = second.core.journal
        .entries(id)
        .filter((e) => e.kind === 'founder_notified' && e.payload.contact_id === 'ian');
      expect(ian.map((e) => e.payload.witness_code)).toEqual([witness]);
      await expect.poll(() => page.locator('h1').first().textContent()).toContain('4. Sign in');
      expect(second.core.journal.verify(id)).toMatchObject({ ok: true, count: before.length + 2 });
    } finally {
      await second.close();
    }
  });

  it('a malformed configuration file is shown with its key and expectation, never a blank screen', async () => {
    const dataDir = tempDir();
    writeFileSync(
      path.join(dataDir, 'config.yaml'),
      'version: 1\nprincipals: []\nfounders:\n  - id: Asad\n    name: Asad\n',
    );
    const app = await openApp(chromium(), dataDir);
    try {
      const { page } = app;
      await expect
        .poll(() => page.locator('h1').first().textContent())
        .toContain('The configuration file is not valid');
      expect(await page.getByTestId('config-error-file').textContent()).toBe(path.join(dataDir, 'config.yaml'));
      const problems = (await page.getByTestId('config-problems').textContent())!;
      expect(problems).toContain('principals');
      expect(problems).toContain('founders');
      await screenshot(page, '21-config-error');
      expect(await app.handlers['config:info']()).toMatchObject({ source: 'invalid' });
      await expect(app.handlers['ceremony:start']({ type: 'root-login', drill: true })).rejects.toMatchObject({
        code: 'config-invalid',
      });
    } finally {
      await app.close();
    }
  });
});
