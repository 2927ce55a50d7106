import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App, Session } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  createPermissionHandlers,
  debuggingSwitches,
  installSecurityHandlers,
  isAllowedExternalUrl,
  secureWebPreferences,
} from '../../src-main/security';
import { resolveRendererPath, serveRendererRequest } from '../../src-main/serve-renderer';

function cspDirectives(csp: string): Record<string, string> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k, v.join(' ')]),
  );
}

describe('security', () => {
  it('builds windows sandboxed, isolated and without Node', () => {
    const prefs = secureWebPreferences('/x/preload.cjs');
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps the renderer off the network and off inline script', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v.join(' ')]),
    );
    expect(directives).toMatchObject({
      'default-src': "'none'",
      'script-src': "'self'",
      'connect-src': "'none'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'form-action': "'none'",
    });
  });

  it.each([
    ['https://console.aws.amazon.com/', true],
    ['https://signin.aws.amazon.com/signin?redirect_uri=x', true],
    ['http://console.aws.amazon.com/', false],
    ['https://console.aws.amazon.com.evil.example/', false],
    ['https://user:pw@console.aws.amazon.com/', false],
    ['https://console.aws.amazon.com@evil.example/', false],
    ['https://console.aws.amazon.com:8443/', false],
    ['https://signin.aws.amazon.com.evil.example/signin', false],
    ['https://evil.example/?next=https://console.aws.amazon.com/', false],
    ['HTTPS://CONSOLE.AWS.AMAZON.COM/', true],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('openExternal allows %s: %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  it('denies every permission request and check', () => {
    const handlers = createPermissionHandlers();
    let granted: boolean | undefined;
    handlers.request(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(handlers.check()).toBe(false);
    expect(handlers.device()).toBe(false);
  });

  it('serves only files inside the renderer folder from app://breakglass', () => {
    const root = path.resolve('/srv/renderer');
    expect(resolveRendererPath(root, 'app://breakglass/')).toBe(path.join(root, 'index.html'));
    expect(resolveRendererPath(root, 'app://breakglass/main.js')).toBe(path.join(root, 'main.js'));
    expect(resolveRendererPath(root, 'app://breakglass/../../etc/passwd')).toBeNull();
    // Encoded dot segments are resolved by the URL parser first: they cannot climb out either.
    expect(resolveRendererPath(root, 'app://breakglass/%2e%2e/%2e%2e/etc/passwd.js')).toBe(
      path.join(root, 'etc', 'passwd.js'),
    );
    expect(resolveRendererPath(root, 'app://elsewhere/main.js')).toBeNull();
    expect(resolveRendererPath(root, 'https://breakglass/main.js')).toBeNull();
    expect(resolveRendererPath(root, 'app://breakglass/secrets.sqlite3')).toBeNull();
  });

  it('turns DevTools off unless asked for (windows.ts asks only when not packaged)', () => {
    expect(secureWebPreferences('/x/preload.cjs').devTools).toBe(false);
    expect(secureWebPreferences('/x/preload.cjs', { devTools: true }).devTools).toBe(true);
  });

  it('serves the exact CSP of the issue, in the header and in index.html', () => {
    const issue =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";
    const header = cspDirectives(CONTENT_SECURITY_POLICY);
    expect(header).toMatchObject(cspDirectives(issue));
    expect(Object.keys(header).sort()).toEqual([...Object.keys(cspDirectives(issue)), 'frame-ancestors'].sort());
    const html = readFileSync(path.resolve(__dirname, '../../src-renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // A meta CSP cannot carry frame-ancestors; everything else must be the same policy.
    const { 'frame-ancestors': _ignored, ...withoutFrameAncestors } = header;
    expect(cspDirectives(meta ?? '')).toEqual(withoutFrameAncestors);
  });

  it('finds the Chromium and Node debugging switches a packaged app must refuse', () => {
    const argv = new Set(['remote-debugging-port', 'no-sandbox']);
    expect(debuggingSwitches({ hasSwitch: (n) => argv.has(n) })).toEqual(['remote-debugging-port']);
    expect(debuggingSwitches({ hasSwitch: () => false })).toEqual([]);
  });

  it('refuses malformed paths without throwing', () => {
    const root = path.resolve('/srv/renderer');
    expect(resolveRendererPath(root, 'app://breakglass/%E0%A4%A.js')).toBeNull();
    expect(resolveRendererPath(root, 'app://breakglass/main.js%00.png')).toBeNull();
    expect(resolveRendererPath(root, 'app://breakglass/x.__proto__')).toBeNull();
    expect(resolveRendererPath(root, 'app://breakglass/x.constructor')).toBeNull();
  });

  it('serves renderer files with the CSP and hardening headers, GET only', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'breakglass-renderer-'));
    try {
      writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
      const ok = await serveRendererRequest(root, { url: 'app://breakglass/', method: 'GET' });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('<title>x</title>');
      const header = (name: string) => ok.headers.get(name);
      expect(
        ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy'].map(header),
      ).toEqual(['text/html; charset=utf-8', CONTENT_SECURITY_POLICY, 'nosniff', 'no-referrer']);
      expect((await serveRendererRequest(root, { url: 'app://breakglass/', method: 'POST' })).status).toBe(405);
      expect((await serveRendererRequest(root, { url: 'app://breakglass/missing.js', method: 'GET' })).status).toBe(
        404,
      );
      expect((await serveRendererRequest(root, { url: 'app://breakglass/%E0%A4%A.js', method: 'GET' })).status).toBe(
        404,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('installs the guards on the session and on every web contents', async () => {
    const calls: Record<string, unknown> = {};
    const contentsEvents = new Map<string, (event: { preventDefault(): void }) => void>();
    let windowOpen: ((d: { url: string }) => { action: string }) | undefined;
    let onWebContents: ((e: unknown, c: unknown) => void) | undefined;
    let beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    const session = {
      setPermissionRequestHandler: (h: unknown) => (calls.request = h),
      setPermissionCheckHandler: (h: unknown) => (calls.check = h),
      setDevicePermissionHandler: (h: unknown) => (calls.device = h),
      webRequest: { onBeforeRequest: (h: typeof beforeRequest) => (beforeRequest = h) },
    } as unknown as Session;
    const app = {
      on: (name: string, h: typeof onWebContents) => name === 'web-contents-created' && (onWebContents = h),
    } as unknown as App;
    const opened: string[] = [];
    installSecurityHandlers({ app, session, openExternal: async (url) => void opened.push(url) });
    expect(Object.keys(calls).sort()).toEqual(['check', 'device', 'request']);

    const decide = (url: string) => {
      let cancel: boolean | undefined;
      beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('app://breakglass/index.html')).toBe(false);
    expect(decide('https://console.aws.amazon.com/')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('app://breakglass.evil/index.html')).toBe(true);

    onWebContents!(
      {},
      {
        on: (name: string, h: (event: { preventDefault(): void }) => void) => contentsEvents.set(name, h),
        setWindowOpenHandler: (h: typeof windowOpen) => (windowOpen = h),
      },
    );
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contentsEvents.get(name)!({ preventDefault: () => (prevented = true) });
      expect(prevented, name).toBe(true);
    }
    expect(windowOpen!({ url: 'https://console.aws.amazon.com/' })).toEqual({ action: 'deny' });
    expect(windowOpen!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(opened).toEqual(['https://console.aws.amazon.com/']);
  });
});
