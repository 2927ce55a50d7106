import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVirtualAuthenticator } from '../../src-main/hardware-key/virtual/virtual-authenticator';
import { virtualDiscovery } from '../../src-main/hardware-key/virtual/virtual-discovery';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, useChromium } from './support/browser';
import { openApp, press, typeInto } from './support/core';

const EXAMPLE = path.resolve(__dirname, '../../assets/example-config.yaml');

describe.runIf(chromiumAvailable())('the PIN prompt (keys.require_user_verification, a PIN-protected key)', () => {
  const tempDir = useTempDir();
  const chromium = useChromium();

  it('asks with the tries left, says a wrong PIN in words, and is gone once the key accepts the PIN', async () => {
    const dataDir = tempDir();
    writeFileSync(
      path.join(dataDir, 'config.yaml'),
      readFileSync(EXAMPLE, 'utf8').replace(
        '  rp_id: breakglass.local\n',
        '  rp_id: breakglass.local\n  require_user_verification: true\n',
      ),
    );
    // A PIN-protected key posing as the hardware one (the real side), touched at once.
    const key = createVirtualAuthenticator({ touchDelayMs: 0, pin: { pin: '4821' } });
    const app = await openApp(chromium(), dataDir, { drillOnly: false, realDiscovery: () => virtualDiscovery(key) });
    const { page } = app;
    try {
      await expect.poll(() => page.getByTestId('enrol-primary').isVisible(), { timeout: 15_000 }).toBe(true);
      await press(page.getByTestId('enrol-primary'));
      await expect.poll(() => page.getByTestId('pin-prompt').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.getByTestId('pin-prompt').textContent()).toContain('8 tries left');
      expect(await page.getByTestId('pin-prompt').textContent()).toContain('keys.require_user_verification');

      await typeInto(page.getByTestId('pin-input'), '1111');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.getByTestId('pin-prompt').textContent(), { timeout: 15_000 })
        .toContain('The PIN is wrong');
      expect(await page.getByTestId('pin-prompt').textContent()).toContain('7 tries left');
      // The field was emptied when the PIN was sent: nothing of it stays on screen.
      expect(await page.getByTestId('pin-input').inputValue()).toBe('');

      await typeInto(page.getByTestId('pin-input'), '4821');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('pin-prompt').count(), { timeout: 15_000 }).toBe(0);
      expect(await page.content()).not.toContain('4821');
    } finally {
      await app.close();
    }
  });
});
