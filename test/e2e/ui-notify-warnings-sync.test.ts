import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src-shared/config/example-config';
import { startMongoWireServer } from '../support/mongo-wire-server/index';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, rawInvoke, typeInto } from './support/core';
import { box, rail } from './support/screen';
import { atEverySize, openFromStart, rootCeremonyAt } from './support/ui';

/** Issue 15, points 8, 10 and 12. */
describe.runIf(chromiumAvailable())('acknowledgements, warning levels and a calm offline sync (real core)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('keeps notify open until every founder acknowledged, records the late acknowledgement, and shows the core warnings', async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      const id = await rootCeremonyAt(app, 'notify');
      await app.handlers['ceremony:notifyFounder'](id, { contact_id: 'asad', channel: 'call', acknowledged: true });
      await app.handlers['ceremony:notifyFounder'](id, { contact_id: 'ian', channel: 'text', acknowledged: false });
      await openFromStart(page, id);
      // Not lockable, in words; main refuses it too.
      await expect.poll(() => page.getByTestId('lock-panel').textContent()).toContain('wait for Ian to acknowledge');
      expect(await page.getByTestId('lock-step').isDisabled()).toBe(true);
      expect(await rawInvoke(page, 'ceremony:lockStep', [id, { step: 'notify' }])).toMatchObject({
        ok: false,
        error: { code: 'out-of-order' },
      });
      // The core's warning is on screen, with its level.
      const warning = page.getByTestId('core-warnings').locator('li', { hasText: 'Not acknowledged yet: Ian' });
      expect(await warning.getAttribute('data-level')).toBe('warning');
      await atEverySize(page);
      // Ian answers: one press records it and locks the step with the tap.
      await press(page.getByTestId('acked-ian'));
      await expect.poll(() => rail(page, 'notify').getAttribute('data-status'), { timeout: 15_000 }).toBe('locked');
      const ian = app.core.journal
        .entries(id)
        .filter((e) => e.kind === 'founder_notified' && e.payload.contact_id === 'ian');
      expect(ian.map((e) => e.payload.acknowledged)).toEqual([false, true]);
    } finally {
      await app.close();
    }
  });

  it('gives a targeted read-only describe a note and create-access-key a critical warning', async () => {
    const app = await openApp(chromium(), tempDir());
    const { page } = app;
    try {
      const id = await rootCeremonyAt(app, 'minimal_action');
      await openFromStart(page, id);
      const field = box(page, 'What you ran or did (Enter records it)');
      for (const line of [
        'ran: aws ec2 describe-instances --instance-ids i-0abc1234def567890',
        'ran: aws iam create-access-key --user-name temp-admin',
      ]) {
        await typeInto(field, line);
        await page.keyboard.press('Enter');
        await expect.poll(() => page.getByTestId('action-log').textContent()).toContain(line.slice(5));
      }
      const level = (text: string) => page.getByTestId('action-log').locator('.anti-pattern', { hasText: text });
      expect(await level('ec2:DescribeInstances is a read-only call').getAttribute('data-level')).toBe('note');
      expect(await level('iam:CreateAccessKey creates an access key').getAttribute('data-level')).toBe('critical');
      const colour = (text: string) => level(text).evaluate((el) => getComputedStyle(el).color);
      expect(await colour('ec2:DescribeInstances')).not.toBe(await colour('iam:CreateAccessKey'));
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });

  it('shows a sync that cannot reach MongoDB calmly: offline, works offline, will retry', async () => {
    const dataDir = tempDir();
    const dead = await startMongoWireServer();
    await dead.stop();
    writeFileSync(
      path.join(dataDir, 'config.json'),
      JSON.stringify({
        ...EXAMPLE_CONFIG,
        mongodb: { uri: `mongodb://127.0.0.1:${dead.port}/`, database: 'breakglass' },
      }),
    );
    const app = await openApp(chromium(), dataDir);
    const { page } = app;
    try {
      await rootCeremonyAt(app, 'sign_in');
      const headline = page.getByTestId('sync-headline');
      await expect.poll(() => headline.count(), { timeout: 30_000 }).toBe(1);
      expect(await headline.textContent()).toMatch(
        /^Sync: offline — the ceremony works offline; will retry \(\d+ waiting\)$/,
      );
      expect(await page.getByTestId('sync-status').getAttribute('class')).toContain('warn');
      expect(await page.getByTestId('sync-status').getAttribute('class')).not.toContain('bad');
      await atEverySize(page);
    } finally {
      await app.close();
    }
  });
});
