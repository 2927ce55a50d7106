// `npm run ui-preview` (scripts/ui-preview.mjs): started as a designer would, headless here. The
// test reaches the page it opened over the DevTools port it prints, reads the real renderer
// there, and calls the core through the page's bridge: the real services over the data
// directory it was given, the virtual drill key behind them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser';
import { RENDERER_DIR } from './support/renderer-harness';
import { useTempDir } from '../support/temp-dir';

const ROOT = path.resolve(__dirname, '../..');
const tempDir = useTempDir('breakglass-ui-preview-');
let preview: ChildProcess | undefined;
afterEach(() => void preview?.kill('SIGKILL'));

/** Resolves with the first stdout line matching `pattern`; rejects if the process ends first. */
function lineMatching(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const match = buffered.match(pattern);
      if (match) resolve(match);
    });
    child.on('exit', (code) =>
      reject(new Error(`ui-preview exited ${code} before "${pattern}": ${buffered}${stderr}`)),
    );
  });
}

describe.runIf(chromiumAvailable())('npm run ui-preview', () => {
  it('serves the real renderer in Chromium with the real core and the virtual key behind the bridge', async () => {
    expect(existsSync(path.join(RENDERER_DIR, 'main.js')), 'run `npm run build` first').toBe(true);
    const dataDir = tempDir();
    preview = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts/ui-preview.mjs'), '--no-build', '--headless', '--data-dir', dataDir],
      { cwd: ROOT, env: process.env },
    );
    const exited = new Promise<number | null>((resolve) => preview!.on('exit', (code) => resolve(code)));
    const [, shown, port] = await lineMatching(
      preview,
      /ready, showing "([^"]*)"; DevTools protocol at http:\/\/127\.0\.0\.1:(\d+)\./,
    );
    expect(shown).toMatch(/DRILL/);

    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    try {
      const page = browser.contexts().flatMap((c) => c.pages())[0]!;
      expect(await page.getAttribute('html', 'data-ready')).toBe('true');
      // The page is the built renderer (dist/renderer), not a stand-in.
      expect(await page.evaluate(() => Array.from(document.scripts, (s) => new URL(s.src).pathname))).toEqual([
        '/main.js',
      ]);
      expect(await page.locator('h1').first().textContent()).toBe(shown);
      // Through the bridge to the real core: the data directory it was given, drills only, the virtual key.
      const info = await page.evaluate(() =>
        (window as unknown as { api: { app: { info(): Promise<unknown> } } }).api.app.info(),
      );
      expect(info).toMatchObject({ ok: true, value: { drill_only: true, data_dir: dataDir } });
      const key = await page.evaluate(() =>
        (window as unknown as { api: { key: { status(a: unknown): Promise<unknown> } } }).api.key.status({
          drill: true,
        }),
      );
      expect(key).toMatchObject({
        ok: true,
        value: { drill: true, present: true, description: expect.stringMatching(/VIRTUAL/) },
      });
      expect(existsSync(path.join(dataDir, 'journal.sqlite3'))).toBe(true);
    } finally {
      await browser.close();
    }
    preview.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
