import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir';

const ROOT = path.resolve(__dirname, '../..');

/** The Electron binary, if this machine has one (it cannot be downloaded here). */
function electronBinary(): string | null {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = path.join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return existsSync(exe) ? exe : null;
  }
  // Not require('electron'): without a binary its index.js tries to download one, and this
  // machine must never reach for the network. path.txt exists only once a binary is installed.
  const pathFile = path.join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = path.join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

const binary = electronBinary();
if (!binary) {
  console.warn(
    '[electron e2e] SKIPPED: no Electron binary on this machine (install one, or set ELECTRON_OVERRIDE_DIST_PATH to a directory holding it). ' +
      'The renderer is still driven in Chromium against the real core by test/e2e/*.test.ts.',
  );
}

describe.skipIf(!binary)('the packaged-shape Electron app', () => {
  const tempDir = useTempDir();

  it('opens one sandboxed window showing the journal, with no Node in the renderer', async () => {
    const dataDir = tempDir();
    const app = await electron.launch({
      executablePath: binary!,
      args: [ROOT, '--data-dir', dataDir],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
      await page.getByRole('button', { name: 'Journal' }).click();
      await expect.poll(() => page.getByTestId('journal-empty').isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort())).toContain(
        'journal',
      );
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0]!;
        // Undocumented but present: the preferences the renderer actually got.
        const p = (
          w.webContents as unknown as {
            getLastWebPreferences(): { sandbox?: boolean; contextIsolation?: boolean; nodeIntegration?: boolean };
          }
        ).getLastWebPreferences();
        return { sandbox: p.sandbox, contextIsolation: p.contextIsolation, nodeIntegration: p.nodeIntegration };
      });
      expect(prefs).toEqual({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    } finally {
      await app.close();
    }
  });

  it('walks the first steps of a drill through the real preload: enrol, touch, start, scenario', async () => {
    const dataDir = tempDir();
    const app = await electron.launch({
      executablePath: binary!,
      args: [ROOT, '--data-dir', dataDir, '--drill'],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
      expect(await page.getByTestId('drill-banner').textContent()).toContain('DRILL');
      await page.getByTestId('enrol-primary').focus();
      await page.keyboard.press('Enter');
      // In the app the virtual key waits for the on-screen button, as a YubiKey waits for a finger.
      await page.getByTestId('simulate-touch').waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('enrolled-key').count(), { timeout: 20_000 }).toBe(1);
      await page.getByTestId('start').focus();
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('h1').first().textContent(), { timeout: 20_000 })
        .toContain('1. Is break-glass authorised?');
      // The preload refuses what main refuses: a malformed call comes back as a value, not a crash.
      const refused = await page.evaluate(() =>
        (window as unknown as { api: { ceremony: { get: (id: unknown) => Promise<unknown> } } }).api.ceremony.get(42),
      );
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    } finally {
      await app.close();
    }
  });
});
