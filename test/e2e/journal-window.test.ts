import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press } from './support/core';

describe.runIf(chromiumAvailable())('journal status view (real renderer, real journal)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('shows an empty, ready journal, then a ceremony once one is recorded (pushed by main)', async () => {
    const dataDir = tempDir();
    const app = await openApp(chromium(), dataDir);
    try {
      const { page } = app;
      await press(page.getByRole('button', { name: 'Journal' }));
      await expect.poll(() => page.getByTestId('journal-empty').isVisible()).toBe(true);
      expect(await page.textContent('body')).toContain(dataDir);

      const entry = app.core.journal.append('bg-20261121-window01', 'ceremony_started', {
        type: 'root-login',
        drill: true,
      });
      app.core.events.emit('journal:changed', { ceremony_id: entry.ceremony_id, seq: entry.seq });
      await expect
        .poll(() => page.getByTestId('journal-ceremony').textContent())
        .toContain('bg-20261121-window01: 1 entries, verified');
      expect(app.blocked).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
