// Renderer bundle size (gzipped) and first render time in Chromium, against the targets.
// The first render is measured inside the page (navigation start -> the first screen in the DOM)
// with the real core behind the bridge, median of 5 runs after a warm-up.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createEventHub } from '../src-main/ipc/event-hub';
import { createHandlers } from '../src-main/ipc/handlers';
import { createCoreServices } from '../src-main/services';
import { chromiumAvailable, launchChromium } from '../test/e2e/support/browser';
import { openRenderer } from '../test/e2e/support/renderer-harness';

const SIZE_TARGET_KB = 250;
const RENDER_TARGET_MS = 500;
const RUNS = 5;

/** Records when the first screen appears, from inside the page, before any app script runs. */
const FIRST_SCREEN_PROBE = `
  new MutationObserver((_, observer) => {
    if (window.__firstScreenAt === undefined && document.querySelector('[data-screen]')) window.__firstScreenAt = performance.now();
    if (window.__readyAt === undefined && document.documentElement?.getAttribute('data-ready') === 'true') window.__readyAt = performance.now();
    if (window.__firstScreenAt !== undefined && window.__readyAt !== undefined) observer.disconnect();
  }).observe(document, { childList: true, subtree: true, attributes: true });
`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function run(): Promise<Record<string, unknown>> {
  const root = process.cwd();
  const rendererDir = path.join(root, 'dist/renderer');
  if (!existsSync(path.join(rendererDir, 'main.js')))
    execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  const js = gzipSync(readFileSync(path.join(rendererDir, 'main.js')), { level: 9 }).length;
  const css = gzipSync(readFileSync(path.join(rendererDir, 'styles.css')), { level: 9 }).length;
  const totalKb = Math.round(((js + css) / 1024) * 10) / 10;
  const result: Record<string, unknown> = {
    renderer_js_gz_bytes: js,
    renderer_css_gz_bytes: css,
    renderer_gz_kb: totalKb,
    size_target_kb: SIZE_TARGET_KB,
    size_ratio: Math.round((totalKb / SIZE_TARGET_KB) * 1000) / 1000,
    size_pass: totalKb < SIZE_TARGET_KB,
  };
  if (!chromiumAvailable())
    return { ...result, first_render: 'skipped: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH)' };

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'breakglass-bench-'));
  const events = createEventHub();
  const core = createCoreServices({ dataDir, drillOnly: true, drillTouchDelayMs: 10, env: {}, events });
  const handlers = createHandlers(core, { openExternal: async () => undefined });
  const browser = await launchChromium();
  const times: number[] = [];
  const ready: number[] = [];
  try {
    for (let i = 0; i <= RUNS; i++) {
      const { page, disconnect } = await openRenderer(browser, handlers, {
        events,
        rendererDir,
        initScript: FIRST_SCREEN_PROBE,
      });
      await page.waitForSelector('html[data-ready="true"]');
      const [at, loaded] = await page.evaluate(() => {
        const w = window as unknown as { __firstScreenAt?: number; __readyAt?: number };
        return [w.__firstScreenAt ?? NaN, w.__readyAt ?? NaN] as const;
      });
      disconnect();
      await page.context().close();
      // The first run warms the browser's caches and the JIT.
      if (i > 0) {
        times.push(at);
        ready.push(loaded);
      }
    }
  } finally {
    await browser.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const ms = Math.round(median(times) * 10) / 10;
  return {
    ...result,
    first_render_ms_median: ms,
    first_render_runs_ms: times.map((t) => Math.round(t)),
    // Also: until every first read from main (config, catalog, journal, key, sync) is on screen.
    data_ready_ms_median: Math.round(median(ready) * 10) / 10,
    first_render_target_ms: RENDER_TARGET_MS,
    first_render_ratio: Math.round((ms / RENDER_TARGET_MS) * 1000) / 1000,
    first_render_pass: ms < RENDER_TARGET_MS,
  };
}
