// `npm run ui-preview`: the real renderer in Chromium with the real core services (journal,
// configuration, ceremony, sync) and the virtual drill key behind the bridge, exactly as the
// browser e2e tests run it (./core.ts), but in a window a designer or reviewer can use. No
// Electron binary needed. Drills only: no real key is ever opened.
// Bundled and started by scripts/ui-preview.mjs; its options are documented there.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { openApp, type RunningApp } from './core';

const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function launch(headless: boolean, debugPort: number): Promise<Browser> {
  const args = [
    ...CHROMIUM_ARGS,
    `--remote-debugging-port=${debugPort}`,
    ...(headless ? ['--no-sandbox', '--disable-gpu'] : []),
  ];
  const debian = '/usr/bin/chromium';
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync(debian) ? debian : undefined);
  // Otherwise the installed Google Chrome (Playwright's own browsers are not downloaded here).
  return chromium.launch({ headless, args, ...(executablePath ? { executablePath } : { channel: 'chrome' }) });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, headless: { type: 'boolean' } },
    strict: true,
  });
  const dataDir = path.resolve(values['data-dir'] ?? mkdtempSync(path.join(os.tmpdir(), 'breakglass-ui-preview-')));
  mkdirSync(dataDir, { recursive: true });
  if (
    values.headless !== true &&
    process.platform === 'linux' &&
    !process.env.DISPLAY &&
    !process.env.WAYLAND_DISPLAY
  ) {
    throw new Error(
      'no display to open a window on: run `npm run ui-preview -- --headless` and reach the page over the DevTools port it prints',
    );
  }
  const debugPort = await freePort();
  let browser: Browser;
  try {
    browser = await launch(values.headless === true, debugPort);
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0];
    throw new Error(
      `cannot start Chromium (${first}). Install Chromium or Google Chrome, or set CHROMIUM_PATH to its executable.`,
    );
  }
  // Stopping can come before the app is open (the window closed while loading).
  const opened: { app?: RunningApp } = {};
  let closing = false;
  const stop = async (code: number) => {
    if (closing) return;
    closing = true;
    await opened.app?.close().catch(() => undefined);
    await browser.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  browser.on('disconnected', () => void stop(0));
  const app = await openApp(browser, dataDir, { drillTouchDelayMs: null });
  opened.app = app;
  app.page.on('close', () => void stop(0));
  const title = (await app.page.locator('h1').first().textContent())?.trim() ?? '';
  console.log(`ui-preview: journal and drill key in ${dataDir} (kept after you stop)`);
  console.log(
    `ui-preview: ready, showing "${title}"; DevTools protocol at http://127.0.0.1:${debugPort}. Close the window or press Ctrl+C to stop.`,
  );
}

main().catch((error: unknown) => {
  console.error(`ui-preview: ${(error as Error).message}`);
  process.exit(1);
});
