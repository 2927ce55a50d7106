// The breakglass-role ceremony after its role session: the minimal action against the
// credential lifetime, sign-out, the 24-hour cleanup checklist with its windows and the
// cleanup-owner sign-off, and the export. One test per step, each starting from the step before,
// reached through the core (support/role-fixture.ts). The steps before are role-ceremony.test.ts.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/db/open-database';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { press, screenshot, typeInto } from './support/core';
import {
  CLEANUP_AT_61_MINUTES,
  expectNoSecretInClosedDatabase,
  MINUTE,
  openRoleDrill,
  secretSightings,
  utc,
  type RoleDrillWindow,
  type RoleStage,
} from './support/role-fixture';
import { box, heading, rail } from './support/screen';
import { verifyExported } from './support/verify-export';

const item = (page: Page, id: string) => page.getByTestId(`check-${id}`);

describe.runIf(chromiumAvailable())(
  'a drill breakglass-role ceremony after its role session, one screen per test, by keyboard (real core)',
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

    it("4. minimal action: the timer counts down to the credentials' expiry; a line holding the secret key is refused", async () => {
      await at('role-session', async ({ app, page, dataDir, advanceMinutes, creds, secrets, state }) => {
        await expect.poll(() => heading(page).textContent()).toContain('4. Minimal action only');
        const expiration = (await state()).role_session!.expiration;
        const timer = page.getByTestId('timer');
        expect(await timer.getAttribute('data-level')).toBe('ok');
        const timerText = (await timer.textContent())!;
        // The role session counts DOWN to the credentials' Expiration.
        expect(timerText).toMatch(/(59:\d\d|60:00) left/);
        expect(timerText).toContain('until the credentials expire');
        expect(timerText).toContain(`credentials expire ${utc(expiration)}`);
        const actionBox = box(page, 'What you ran or did (Enter records it)');
        await typeInto(actionBox, 'ran: aws ec2 describe-instances --instance-ids i-0abc1234def567890');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('ec2:DescribeInstances');
        // A line carrying the session's secret key is refused at input: the journal is append-only.
        await typeInto(actionBox, `ran: aws configure set aws_secret_access_key ${creds.secretAccessKey}`);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('refusal').textContent()).toContain('looks like it holds a secret');
        expect(await page.getByTestId('refusal').textContent()).not.toContain(creds.secretAccessKey);
        expect(await page.getByTestId('action-log').locator('li').count()).toBe(1);
        advanceMinutes(25);
        await typeInto(actionBox, 'ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('ec2:TerminateInstances');
        expect(await timer.getAttribute('data-level')).toBe('ok');
        // Past the Expiration: the timer says so.
        advanceMinutes(36);
        await typeInto(actionBox, 'ran: aws sts get-caller-identity');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').textContent()).toContain('sts:GetCallerIdentity');
        await expect.poll(() => timer.getAttribute('data-level')).toBe('critical');
        expect(await timer.textContent()).toContain('the credentials have expired');
        expect(await page.getByTestId('action-log').locator('li').count()).toBe(3);
        await screenshot(page, 'role-04-minimal-action');
        await typeInto(
          box(page, 'One-line summary of what was done'),
          'DRILL: terminated the runaway instance i-0abc1234def567890',
        );
        await page.keyboard.press('Enter');
        await expect.poll(() => heading(page).textContent()).toContain('5. Sign out');
        expect(secretSightings(app, dataDir, secrets, 10)).toEqual([]);
      });
    });

    it("5. sign-out: the final code, and the cleanup runbook's 24-hour clock from the role session start", async () => {
      await at('minimal-action', async ({ page, state, sessionStart }) => {
        await expect.poll(() => heading(page).textContent()).toContain('5. Sign out');
        expect(await page.locator('.lead').first().textContent()).toContain('End the role session now');
        await screenshot(page, 'role-05-sign-out');
        await press(page.getByTestId('record-sign-out'));
        await expect.poll(() => rail(page, 'sign_out').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
        await expect.poll(() => page.getByTestId('session-summary').textContent()).toMatch(/session 61(\.\d)? minutes/);

        // After the glass: the cleanup runbook's 24-hour clock, started at the role session start.
        await expect.poll(() => heading(page).textContent()).toContain('After the glass');
        const finalCode = (await page
          .getByTestId('witness-final')
          .locator('.witness-words')
          .getAttribute('aria-label'))!;
        expect(finalCode).not.toBe((await state()).witness.notify!.text);
        expect(await page.getByTestId('session-summary').textContent()).toMatch(
          /\(expected (59\.\d|60)\); 3 action\(s\) logged/,
        );
        const start = await sessionStart();
        // 61 minutes in: hour 0-1 is overdue, the 1-4 h audit steps are due, the later ones not yet.
        expect(await page.getByTestId('aftercare-summary').textContent()).toBe(
          `0 of 11 done; 5 due, 1 overdue; next due ${utc(start + 60 * MINUTE)}.`,
        );
        // The window each item belongs to (0-1 h, 1-4 h, 4-24 h) is on screen, as the core carries it.
        const items = (await state()).aftercare!.items;
        const windows = new Map(items.map((i) => [i.id, i.window]));
        expect(
          await page
            .locator('[data-testid^="check-"]')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid'))),
        ).toEqual(CLEANUP_AT_61_MINUTES.map(([id]) => `check-${id}`));
        for (const [id, itemState, runbook, dueAfter] of CLEANUP_AT_61_MINUTES) {
          expect(await item(page, id).getAttribute('data-state'), id).toBe(itemState);
          const window = windows.get(id)!;
          expect(await item(page, id).locator('.hint').first().textContent(), id).toBe(
            `Window ${window}: ${runbook}. Due ${utc(start + dueAfter * MINUTE)}.`,
          );
          expect(await page.getByTestId(`window-${id}`).textContent(), id).toBe(`Window ${window}`);
        }
        expect(await item(page, 'cleanup.session-log').locator('.check-state').textContent()).toBe('OVERDUE');
        expect(await item(page, 'cleanup.rotate').locator('.check-state').textContent()).toBe('not yet');
        // The three windows of the runbook's clock, as the checklist carries them.
        expect(items.map((i) => i.window)).toEqual([
          '0-1 h',
          ...Array<string>(7).fill('1-4 h'),
          '4-24 h',
          '4-24 h',
          '4-24 h',
        ]);
        await screenshot(page, 'role-06-aftercare');
      });
    });

    it('aftercare: evidence per item, CloudTrail only with its file, and only the cleanup owner signs off', async () => {
      await at('signed-out', async ({ page, advanceMinutes, entries, sessionStart }) => {
        await expect.poll(() => heading(page).textContent()).toContain('After the glass');
        // Hour 0-1: the session log, late but evidenced.
        await typeInto(
          item(page, 'cleanup.session-log').getByLabel(/^Evidence \(/),
          'DRILL: #bookstore-platform-status thread with every command, approver @alice, cleanup-owner @bob',
        );
        await page.keyboard.press('Enter');
        await expect.poll(() => item(page, 'cleanup.session-log').getAttribute('data-state')).toBe('done');

        // Only the cleanup owner named at the start signs off; the approver cannot.
        const signoff = item(page, 'cleanup.owner-signoff');
        expect(await signoff.getByLabel(/^Signed off by \(the cleanup owner\) \(/).count()).toBe(1);
        await typeInto(signoff.getByLabel(/^Evidence \(/), 'DRILL: cleanup steps 2 to 5 checked and complete');
        await typeInto(signoff.getByLabel(/^Signed off by \(the cleanup owner\) \(/), '@alice');
        await page.keyboard.press('Enter');
        await expect
          .poll(() => signoff.getByTestId('refusal').textContent())
          .toContain('only the cleanup owner (@bob) signs off');
        expect(await signoff.getByTestId('refusal').getAttribute('data-code')).toBe('not-authorised');
        // Shown under the form that was used, not under every open checklist item.
        expect(await page.getByTestId('refusal').count()).toBe(1);
        expect((await entries()).some((e) => e.kind === 'aftercare_signoff')).toBe(false);

        // Hours 1-4: the audit and rotation steps, each with evidence; CloudTrail only with its file.
        advanceMinutes(200);
        const evidence: Array<[string, string]> = [
          [
            'cleanup.verify-expiry',
            'DRILL: vault list sys/leases/lookup/aws/sts/breakglass-emergency is empty; key last used before expiry',
          ],
          ['cleanup.inventory-terraform', 'DRILL: terraform plan shows no drift after the session'],
          ['cleanup.inventory-argocd', 'DRILL: argocd app list shows every application synced'],
          ['cleanup.inventory-secrets', 'DRILL: no IAM users or access keys created in the window'],
          ['cleanup.rotate', 'DRILL: RDS credentials reloaded and Vault tokens rotated'],
          ['cleanup.policies-detached', 'DRILL: list-attached-role-policies shows no extra policy on any role'],
        ];
        for (const [id, text] of evidence) {
          await typeInto(item(page, id).getByLabel(/^Evidence \(/), text);
          await page.keyboard.press('Enter');
          await expect.poll(() => item(page, id).getAttribute('data-state'), { message: id }).toBe('done');
        }
        const cloudtrail = item(page, 'cleanup.inventory-cloudtrail');
        await typeInto(
          cloudtrail.getByLabel(/^Evidence \(/),
          'DRILL: CloudTrail lookup-events saved and cross-referenced with the session log',
        );
        await page.keyboard.press('Enter');
        await expect.poll(() => cloudtrail.getByTestId('refusal').textContent()).toContain('needs the attached file');
        expect(await cloudtrail.getAttribute('data-state')).toBe('overdue');
        const trail = Buffer.from(
          JSON.stringify({ Events: [{ EventName: 'TerminateInstances', Username: 'taha-inc-drill-p0' }] }),
        );
        const trailSha = createHash('sha256').update(trail).digest('hex');
        // A file picker is the one control the keyboard cannot drive headless: the file is handed to the input.
        await cloudtrail
          .locator('input[type="file"]')
          .setInputFiles({ name: 'INC-DRILL-P0-042-cloudtrail.json', mimeType: 'application/json', buffer: trail });
        await typeInto(
          cloudtrail.getByLabel(/^Evidence \(/),
          'DRILL: CloudTrail lookup-events saved and cross-referenced with the session log',
        );
        await page.keyboard.press('Enter');
        await expect.poll(() => cloudtrail.getAttribute('data-state')).toBe('done');
        expect(await cloudtrail.textContent()).toContain(
          `[file INC-DRILL-P0-042-cloudtrail.json sha256 ${trailSha.slice(0, 12)}…]`,
        );
        expect(
          (await entries()).find(
            (e) => e.kind === 'aftercare_evidence' && e.payload.item_id === 'cleanup.inventory-cloudtrail',
          )?.payload.file_sha256,
        ).toBe(trailSha);

        // The cleanup owner certifies Steps 2-5.
        await typeInto(signoff.getByLabel(/^Evidence \(/), 'DRILL: cleanup steps 2 to 5 checked and complete');
        await typeInto(signoff.getByLabel(/^Signed off by \(the cleanup owner\) \(/), '@bob');
        await page.keyboard.press('Enter');
        await expect.poll(() => signoff.getAttribute('data-state')).toBe('done');
        expect(await signoff.textContent()).toContain('DRILL: cleanup steps 2 to 5 checked and complete');
        expect(await page.getByTestId('aftercare-summary').textContent()).toBe(
          `9 of 11 done; 2 due, 0 overdue; next due ${utc((await sessionStart()) + 24 * 60 * MINUTE)}.`,
        );
        await screenshot(page, 'role-07-cleanup');
      });
    });

    it('export: the bundle verifies with its five seals, the journal agrees, and no pasted secret is anywhere', async () => {
      const t = await at('signed-out', async ({ app, page, dataDir, secrets, id, state }) => {
        await expect.poll(() => heading(page).textContent()).toContain('After the glass');
        const finalCode = (await page
          .getByTestId('witness-final')
          .locator('.witness-words')
          .getAttribute('aria-label'))!;
        await press(page.getByTestId('export'));
        await expect.poll(() => page.getByTestId('exported').isVisible()).toBe(true);
        const bundlePath = (await page.getByTestId('exported').locator('code').first().textContent())!;
        const verified = await verifyExported(app, bundlePath);
        expect(verified.code, verified.out + verified.err).toBe(6);
        expect(verified.out).toContain('DRILL INTACT');
        expect(verified.out).toMatch(/type\s+breakglass-role, DRILL/);
        expect(verified.out).toMatch(
          /checkpoints\s+5: scenario \(touched\), notify \(touched\), role_session \(touched\), sign_out \(touched\), seal \(touched\)/,
        );
        expect(verified.out).toContain(`"${finalCode}"`);

        // The journal behind the screens.
        const s = await state();
        expect(s.type).toBe('breakglass-role');
        expect(s.steps.map((step) => [step.id, step.status])).toEqual([
          ['scenario', 'locked'],
          ['notify', 'locked'],
          ['role_session', 'locked'],
          ['minimal_action', 'done'],
          ['sign_out', 'locked'],
        ]);
        expect(s.witness.final?.text).toBe(finalCode);
        expect(app.core.journal.checkpoints(await id())).toHaveLength(5);
        expect(app.core.journal.verify(await id())).toMatchObject({ ok: true });

        // Not one of the pasted secrets anywhere: rows, database and WAL bytes, exports.
        expect(readdirSync(dataDir)).toEqual(expect.arrayContaining([`${DATABASE_FILE}-wal`]));
        expect(secretSightings(app, dataDir, secrets, 20)).toEqual([]);
        expect(app.blocked).toEqual([]);
      });
      // And after the WAL is folded back into the database on close.
      expectNoSecretInClosedDatabase(t.dataDir, t.secrets);
    });
  },
);
