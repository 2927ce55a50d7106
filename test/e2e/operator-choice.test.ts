import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src-shared/config/example-config';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, rawInvoke, screenshot } from './support/core';
import { heading } from './support/screen';

/** Two people may break glass: the CTO and a second founder. */
function twoPrincipals(dataDir: string): void {
  const config = {
    ...EXAMPLE_CONFIG,
    principals: [
      { id: 'taha@example.com', name: 'Taha', role: 'CTO' },
      { id: 'asad@example.com', name: 'Asad', role: 'CEO' },
    ],
  };
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(config));
}

describe.runIf(chromiumAvailable())('several principals: who is breaking glass is chosen, never assumed', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('asks who it is before showing keys or starting; the key and the ceremony belong to the person chosen', async () => {
    const dataDir = tempDir();
    twoPrincipals(dataDir);
    const app = await openApp(chromium(), dataDir);
    const { page } = app;
    try {
      // No default person: no key panel, no start, and the reason in words.
      await expect.poll(() => page.getByTestId('operator-choice').isVisible()).toBe(true);
      expect(await page.getByTestId('start').isDisabled()).toBe(true);
      expect(await page.getByTestId('choose-operator').textContent()).toContain('Choose who is breaking glass first');
      expect(await page.getByTestId('key-panel').count()).toBe(0);
      await screenshot(page, 'operator-00-choose');

      // Main insists too: enrolling or starting without a choice is refused, nothing is stored.
      const enrolNobody = (await rawInvoke(page, 'key:enrol', [{ drill: true, label: 'primary' }])) as {
        ok: boolean;
        error: { code: string; message: string };
      };
      expect(enrolNobody).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(enrolNobody.error.message).toContain('taha@example.com, asad@example.com');
      const startNobody = (await rawInvoke(page, 'ceremony:start', [{ type: 'root-login', drill: true }])) as {
        ok: boolean;
        error: { code: string };
      };
      expect(startNobody).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      const stranger = (await rawInvoke(page, 'key:enrol', [
        { drill: true, label: 'primary', operator: 'mallory@example.com' },
      ])) as { ok: boolean; error: { code: string; message: string } };
      expect(stranger).toMatchObject({ ok: false, error: { code: 'not-authorised' } });
      expect(stranger.error.message).toContain('"mallory@example.com" is not a break-glass principal');
      expect(await rawInvoke(page, 'key:status', [{ drill: true, operator: 'mallory@example.com' }])).toMatchObject({
        ok: false,
        error: { code: 'not-authorised' },
      });
      expect(app.core.journal.db.prepare('SELECT COUNT(*) FROM enrolled_keys').pluck().get()).toBe(0);
      expect(app.core.journal.ceremonies()).toEqual([]);

      // Asad chooses himself, enrols the drill key as his, starts.
      await press(page.getByTestId('operator-asad@example.com'));
      await expect.poll(() => page.getByTestId('key-panel').isVisible()).toBe(true);
      expect(await page.getByTestId('key-panel').textContent()).toContain('No key is enrolled for asad@example.com');
      await press(page.getByTestId('enrol-primary'));
      await expect
        .poll(() => page.getByTestId('enrolled-key').textContent(), { timeout: 15_000 })
        .toContain('primary: virtual key');
      const owners = app.core.journal.db.prepare('SELECT operator FROM enrolled_keys').pluck().all();
      expect(owners).toEqual(['asad@example.com']);
      // Taha's view of the keys is still empty: a key is one person's.
      const taha = (await rawInvoke(page, 'key:status', [{ drill: true, operator: 'taha@example.com' }])) as {
        ok: boolean;
        value: { operator: string; enrolled: unknown[] };
      };
      expect(taha).toMatchObject({ ok: true, value: { operator: 'taha@example.com', enrolled: [] } });
      expect(await page.getByTestId('start').isDisabled()).toBe(false);
      await press(page.getByTestId('start'));
      await expect.poll(() => heading(page).textContent()).toContain('1. Is break-glass authorised?');
      const [summary] = await app.core.ceremony(true)!.list();
      expect(summary!.operator).toEqual({ id: 'asad@example.com', name: 'Asad' });
      // The step locks with Asad's key (Taha has none, so nothing else could sign it).
      const id = summary!.ceremony_id;
      await app.handlers['ceremony:selectScenario'](id, {
        scenario_id: 'sso-down',
        evidence: {
          idp: 'aws-identity-center',
          region: 'us-east-1',
          error_text: 'DRILL: the SSO portal answers 503 for everyone',
          last_good_sso_login_at: new Date(app.core.clock().getTime() - 3600_000).toISOString(),
          incident_ref: 'INC-DRILL-003',
        },
        reason: 'DRILL: failover needs AWS API access now',
      });
      await expect.poll(() => page.getByTestId('recorded-scenario').isVisible()).toBe(true);
      await press(page.getByTestId('lock-step'));
      await expect
        .poll(() => page.getByTestId('rail-scenario').getAttribute('data-status'), { timeout: 15_000 })
        .toBe('locked');
      const [checkpoint] = app.core.journal.checkpoints(id);
      const asadKey = app.core.journal.db
        .prepare('SELECT credential_id FROM enrolled_keys WHERE operator = ?')
        .pluck()
        .get('asad@example.com');
      expect(checkpoint!.credential_id).toBe(asadKey);
      await screenshot(page, 'operator-01-started');
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('with one principal there is nothing to choose: no question, that person is the operator', async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      await expect.poll(() => page.getByTestId('key-panel').isVisible()).toBe(true);
      expect(await page.getByTestId('operator-choice').count()).toBe(0);
      expect(await page.getByTestId('choose-operator').count()).toBe(0);
      expect(await page.getByTestId('key-panel').textContent()).toContain('No key is enrolled for taha@example.com');
    } finally {
      await app.close();
    }
  });
});
