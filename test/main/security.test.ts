import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createPermissionHandlers, isAllowedExternalUrl, secureWebPreferences } from '../../src-main/security';
import { resolveRendererPath } from '../../src-main/serve-renderer';

describe('security', () => {
  it('builds windows sandboxed, isolated and without Node', () => {
    const prefs = secureWebPreferences('/x/preload.cjs');
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, nodeIntegrationInSubFrames: false });
  });

  it('keeps the renderer off the network and off inline script', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
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
    expect(resolveRendererPath(root, 'app://breakglass/%2e%2e/%2e%2e/etc/passwd.js')).toBe(path.join(root, 'etc', 'passwd.js'));
    expect(resolveRendererPath(root, 'app://elsewhere/main.js')).toBeNull();
    expect(resolveRendererPath(root, 'https://breakglass/main.js')).toBeNull();
    expect(resolveRendererPath(root, 'app://breakglass/secrets.sqlite3')).toBeNull();
  });
});
