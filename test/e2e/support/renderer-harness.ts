import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../../src-shared/ipc/channels';
import { dispatch, type Handlers } from '../../../src-main/ipc/handle';
import type { EventHub } from '../../../src-main/ipc/event-hub';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/security';

const ROOT = path.resolve(__dirname, '../../..');
export const RENDERER_DIR = path.join(ROOT, 'dist/renderer');
const ORIGIN = 'https://breakglass.invalid';

/**
 * Loads the real built renderer in Chromium with the real main-side handlers behind a bridge
 * that mirrors the preload: same channels, arguments validated by main's `dispatch`, the sender
 * checked to be the page's main frame. Every request outside the renderer's files is refused,
 * as it is in the app.
 */
export async function openRenderer(
  browser: Browser,
  handlers: Handlers,
  options: { events?: EventHub; rendererDir?: string; initScript?: string } = {},
): Promise<{
  page: Page;
  emit: (event: string, payload: unknown) => Promise<void>;
  blocked: string[];
  disconnect: () => void;
}> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const blocked: string[] = [];
  const rendererDir = options.rendererDir ?? RENDERER_DIR;
  if (options.initScript) await page.addInitScript(options.initScript);
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    }
    const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep)) return route.fulfill({ status: 404, body: 'not found' });
    try {
      const body = await readFile(file);
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript';
      return route.fulfill({
        status: 200,
        body,
        headers: { 'content-type': type, 'content-security-policy': CONTENT_SECURITY_POLICY },
      });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
  await page.exposeBinding('__breakglassInvoke', (source, channel: string, args: unknown[]) =>
    dispatch(channel as never, Array.isArray(args) ? args : [args], () => source.frame === page.mainFrame(), handlers),
  );
  await page.addInitScript(
    ({ invokeChannels, eventChannels }) => {
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      const api: Record<string, unknown> = {};
      for (const channel of invokeChannels) {
        const [domain, verb] = channel.split(':') as [string, string];
        const ns = (api[domain] ??= {}) as Record<string, unknown>;
        ns[verb] = (...args: unknown[]) =>
          (
            window as unknown as { __breakglassInvoke: (c: string, a: unknown[]) => Promise<unknown> }
          ).__breakglassInvoke(channel, args);
      }
      api.on = (event: string, listener: (p: unknown) => void) => {
        if (!eventChannels.includes(event)) throw new Error(`unknown event ${event}`);
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener);
        return () => set.delete(listener);
      };
      Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false });
      Object.defineProperty(window, '__breakglassEmit', {
        value: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
      });
    },
    { invokeChannels: [...INVOKE_CHANNELS] as string[], eventChannels: [...EVENT_CHANNELS] as string[] },
  );
  await page.goto(`${ORIGIN}/index.html`);
  const emit = async (event: string, payload: unknown) => {
    await page.evaluate(
      ([e, p]) =>
        (window as unknown as { __breakglassEmit: (e: string, p: unknown) => void }).__breakglassEmit(e as string, p),
      [event, payload] as const,
    );
  };
  // The core's pushes reach the page as webContents.send reaches the window in the app.
  const disconnect =
    options.events?.connect((event, payload) => {
      if (!page.isClosed()) void emit(event, payload).catch(() => undefined);
    }) ?? (() => undefined);
  page.on('close', disconnect);
  return { page, emit, blocked, disconnect };
}
