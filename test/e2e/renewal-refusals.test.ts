// What main refuses when a ceremony would renew a role session in a way the cleanup runbook does not
// allow ("This is treated as a SEPARATE incident"): each refusal says why and journals nothing.
// Each test starts from a first role ceremony reached through the core (support/renewal-fixture.ts).
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp } from './support/core';
import { call, journalShape, MINUTE, openFirstRole, withApp } from './support/renewal-fixture';

describe.runIf(chromiumAvailable())(
  'renewals the runbook does not allow, refused by main (real renderer, real core)',
  () => {
    const tempDir = useTempDir();
    const chromium = useChromium();
    const open = (stage: 'started' | 'role-session', options: { pastExpiry?: boolean; renewal?: boolean } = {}) =>
      openFirstRole(chromium(), tempDir(), stage, options);

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
          [
            'a root-login ceremony as the renewal',
            { type: 'root-login', drill: true, linked_ceremony_id: first },
            'invalid-input',
            'only a breakglass-role ceremony can be linked (a renewal of a role session)',
          ],
          [
            'a link to a root-login ceremony',
            { type: 'breakglass-role', drill: true, linked_ceremony_id: rootId },
            'invalid-input',
            'linked ceremony: a renewal links to a breakglass-role ceremony that recorded its role session',
          ],
          [
            'a link to no ceremony',
            { type: 'breakglass-role', drill: true, linked_ceremony_id: 'bg-20260101-deadbeef' },
            'not-found',
            'linked ceremony: no ceremony "bg-20260101-deadbeef" in this journal',
          ],
          [
            'a real renewal in a --drill app',
            { type: 'breakglass-role', drill: false, linked_ceremony_id: first },
            'not-authorised',
            'This app was started with --drill',
          ],
        ];
        for (const [what, args, code, message] of refusals) {
          const result = await call(page, 'ceremony:start', [args]);
          expect(result, what).toMatchObject({ ok: false, error: { code, message: expect.stringContaining(message) } });
          expect(journalShape(app), what).toEqual(shape);
        }
        // A start cannot carry an expiration (or anything else) to stretch a session: unknown fields are refused at the door.
        const stretched = await call(page, 'ceremony:start', [
          {
            type: 'breakglass-role',
            drill: true,
            linked_ceremony_id: first,
            expiration: new Date(clock().getTime() + 60 * MINUTE).toISOString(),
          },
        ]);
        expect(stretched).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
        expect(journalShape(app)).toEqual(shape);
      });
    });

    it('an app that runs real ceremonies refuses to renew a drill; nothing is journalled', async () => {
      const drill = await open('role-session');
      await drill.app.close();
      // The same journal, opened by an app that runs real ceremonies (no key plugged in; starting needs none).
      const app = await openApp(chromium(), drill.dataDir, {
        clock: drill.clock,
        drillOnly: false,
        realDiscovery: () => ({ list: async () => [], open: async () => Promise.reject(new Error('no key')) }),
      });
      await withApp({ app }, async () => {
        expect(app.core.journal.entries(drill.first).some((e) => e.kind === 'role_session_started')).toBe(true);
        const shape = journalShape(app);
        const realRenewal = await call(app.page, 'ceremony:start', [
          { type: 'breakglass-role', drill: false, linked_ceremony_id: drill.first },
        ]);
        expect(realRenewal).toMatchObject({
          ok: false,
          error: {
            code: 'invalid-input',
            message: 'linked ceremony: a drill renews only a drill, a real ceremony only a real one',
          },
        });
        expect(journalShape(app)).toEqual(shape);
      });
    });
  },
);
