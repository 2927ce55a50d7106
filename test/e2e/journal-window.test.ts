import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, launchChromium } from './support/browser';
import { openApp, press } from './support/core';
import { RENDERER_DIR } from './support/renderer-harness';

describe.runIf(chromiumAvailable())('journal status view (real renderer, real journal)', () => {
  const tempDir = useTempDir();
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(path.join(RENDERER_DIR, 'main.js'))) throw new Error('renderer not built: run `npm run build`');
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('shows an empty, ready journal, then a ceremony once one is recorded (pushed by main)', async () => {
    const dataDir = tempDir();
    const app = await openApp(browser, dataDir);
    try {
      const { page } = app;
      await press(page.getByRole('button', { name: 'Journal' }));
      await expect.poll(() => page.getByTestId('journal-empty').isVisible()).toBe(true);
      expect(await page.textContent('body')).toContain(dataDir);

      const entry = app.core.journal.append('bg-20261121-window01', 'ceremony_started', { type: 'root-login', drill: true });
      app.core.events.emit('journal:changed', { ceremony_id: entry.ceremony_id, seq: entry.seq });
      await expect.poll(() => page.getByTestId('journal-ceremony').textContent()).toContain('bg-20261121-window01: 1 entries, verified');
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
