import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { createEventHub } from '../../../src-main/ipc/event-hub';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { watchKeys } from '../../../src-main/ipc/key-views';
import { createCoreServices, type CoreOptions, type CoreServices } from '../../../src-main/services';
import type { Handlers } from '../../../src-main/ipc/handle';
import { unwrapHandlers, type UnwrappedHandlers } from '../../support/unwrap-handlers';
import { openRenderer } from './renderer-harness';

export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../test-results/screenshots');

/**
 * A clock only the test moves: it starts at the real now (so evidence times are plausible) and
 * then stands still until advanceMinutes. Durations the screens show ("after 16 minutes") are
 * then exactly what the test advanced, however long a loaded machine takes between the steps.
 */
export function movableClock(): { clock: () => Date; advanceMinutes: (m: number) => void } {
  const start = Date.now();
  let offset = 0;
  return {
    clock: () => new Date(start + offset),
    advanceMinutes: (m) => {
      offset += m * 60_000;
    },
  };
}

export interface RunningApp {
  core: CoreServices;
  /** main's handlers for driving a ceremony from the test: values, or the refusal thrown. */
  handlers: UnwrappedHandlers;
  /** The same handlers as the bridge calls them: every reply a Result. */
  rawHandlers: Handlers;
  page: Page;
  blocked: string[];
  /** URLs main was asked to open in the system browser (after the allowlist). */
  opened: string[];
  /**
   * Test-only: pulls the virtual drill key out (false) or puts it back (true), as a hand would. No
   * push is sent from here: the key service notices and main says so (key:changed), as in the app.
   */
  plugDrillKey(plugged: boolean): void;
  close(): Promise<void>;
}

/**
 * The app minus Electron: the real core services over a data directory (journal, configuration,
 * virtual key through the real key service, ceremony, sync), the real handlers, and the built
 * renderer in Chromium behind a bridge that mirrors the preload.
 */
export async function openApp(
  browser: Browser,
  dataDir: string,
  options: Partial<Omit<CoreOptions, 'dataDir' | 'events'>> = {},
  /** Runs against the real handlers before the window opens: a test's starting state, reached through the core. */
  prepare?: (handlers: Handlers) => Promise<void>,
): Promise<RunningApp> {
  const events = createEventHub();
  const core = createCoreServices({ dataDir, drillOnly: true, drillTouchDelayMs: 150, env: {}, ...options, events });
  const opened: string[] = [];
  const handlers = createHandlers(core, { openExternal: async (url) => void opened.push(url) });
  // Hot-plug as the app wires it (app.ts): the key service's detection reaches the page as key:changed.
  const stopWatching = watchKeys(core);
  if (prepare) await prepare(handlers);
  const { page, blocked, disconnect } = await openRenderer(browser, handlers, { events });
  await page.waitForSelector('html[data-ready="true"]');
  return {
    core,
    handlers: unwrapHandlers(handlers),
    rawHandlers: handlers,
    page,
    blocked,
    opened,
    plugDrillKey(plugged) {
      const device = core.key(true)?.device;
      if (!device) throw new Error('no virtual drill key in this core');
      if (plugged) device.plugIn();
      else device.unplug();
    },
    async close() {
      stopWatching();
      disconnect();
      await page.context().close();
      await core.close();
    },
  };
}

/** Keyboard only: focus the control, press Enter (Space for radios and checkboxes). */
export async function press(locator: Locator): Promise<void> {
  await locator.focus();
  const type = await locator.evaluate((el) => (el instanceof HTMLInputElement ? el.type : ''));
  await locator.page().keyboard.press(type === 'radio' || type === 'checkbox' ? 'Space' : 'Enter');
}

/** Types into a field from the keyboard (select all, then type), never setting the value directly. */
export async function typeInto(locator: Locator, text: string): Promise<void> {
  await locator.focus();
  await locator.page().keyboard.press('ControlOrMeta+A');
  await locator.page().keyboard.press('Delete');
  await locator.page().keyboard.insertText(text);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Calls main through the page's bridge exactly as a (possibly compromised) renderer could. */
export function rawInvoke(page: Page, channel: string, args: unknown[]): Promise<unknown> {
  return page.evaluate(
    ([c, a]) =>
      (window as unknown as { __breakglassInvoke: (c: string, a: unknown[]) => Promise<unknown> }).__breakglassInvoke(
        c as string,
        a as unknown[],
      ),
    [channel, args] as const,
  );
}
