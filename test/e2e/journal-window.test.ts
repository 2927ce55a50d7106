import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src-main/ipc/handlers';
import { openJournal } from '../../src-main/journal/journal';
import { useTempDir } from '../support/temp-dir';
import { chromiumAvailable, launchChromium } from './support/browser';
import { openRenderer, RENDERER_DIR } from './support/renderer-harness';

describe.runIf(chromiumAvailable())('journal status window (real renderer, real journal)', () => {
  const tempDir = useTempDir();
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(path.join(RENDERER_DIR, 'main.js'))) throw new Error('renderer not built: run `npm run build`');
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('shows an empty, ready journal, then a ceremony once one is recorded', async () => {
    const dataDir = tempDir();
    const journal = openJournal({ dataDir });
    const { page, emit, blocked } = await openRenderer(browser, createHandlers({ journal, dataDir }));
    await expect.poll(() => page.getByTestId('journal-empty').isVisible()).toBe(true);
    expect(await page.textContent('body')).toContain(dataDir);

    const entry = journal.append('bg-20261121-window01', 'ceremony_started', { type: 'root-login', drill: true });
    await emit('journal:changed', { ceremony_id: entry.ceremony_id, seq: entry.seq });
    await expect.poll(() => page.getByTestId('journal-ceremony').textContent()).toContain('bg-20261121-window01: 1 entries, verified');
    expect(blocked).toEqual([]);
    await page.context().close();
    journal.close();
  });

  it('refuses malformed arguments in main, whatever the renderer sends', async () => {
    const dataDir = tempDir();
    const journal = openJournal({ dataDir });
    const { page } = await openRenderer(browser, createHandlers({ journal, dataDir }));
    const result = await page.evaluate(() =>
      (window as unknown as { __breakglassInvoke: (c: string, a: unknown[]) => Promise<unknown> }).__breakglassInvoke('journal:status', ['unexpected']),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const unknown = await page.evaluate(() =>
      (window as unknown as { __breakglassInvoke: (c: string, a: unknown[]) => Promise<unknown> }).__breakglassInvoke('journal:drop', []),
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    await page.context().close();
    journal.close();
  });
});
