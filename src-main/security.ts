// Security-critical: read docs/security.md before changing anything in this file.
import type { App, Session, WebContents, WebPreferences } from 'electron';

/** The only scheme the renderer is served from (see serve-renderer.ts). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://breakglass`;

/** The renderer never talks to the network: main does every request (MongoDB, STS). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Pages main may hand to the operator's browser: the AWS console sign-in, nothing else. */
export const EXTERNAL_URL_ALLOWLIST: readonly string[] = [
  'https://console.aws.amazon.com/',
  'https://signin.aws.amazon.com/',
];

/**
 * The preferences of every window. DevTools are off unless asked for (windows.ts asks only when
 * the app is not packaged): in an installed app they would be a console into the ceremony.
 */
export function secureWebPreferences(preloadPath: string, options: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload: preloadPath,
    devTools: options.devTools ?? false,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    autoplayPolicy: 'user-gesture-required',
    experimentalFeatures: false,
    enableWebSQL: false,
    safeDialogs: true,
  };
}

/** Whether `url` may be opened in the system browser: https and on the allowlist only. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return EXTERNAL_URL_ALLOWLIST.some((prefix) => {
    const allowed = new URL(prefix);
    return parsed.origin === allowed.origin && parsed.pathname.startsWith(allowed.pathname);
  });
}

/**
 * Chromium switches that open a debugging channel into a running app. The fuses turn off Node's
 * (--inspect, NODE_OPTIONS) but not Chromium's remote debugging, so a packaged app refuses to
 * start with them: call before app 'ready', when the DevTools server would start.
 */
export const DEBUGGING_SWITCHES: readonly string[] = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'js-flags',
];

export function debuggingSwitches(commandLine: { hasSwitch(name: string): boolean }): string[] {
  return DEBUGGING_SWITCHES.filter((name) => commandLine.hasSwitch(name));
}

/** Permission requests (camera, notifications, clipboard, HID via WebHID, ...): all denied. */
export function createPermissionHandlers() {
  return {
    request: (_wc: WebContents | null, _permission: string, callback: (granted: boolean) => void) => callback(false),
    check: () => false,
    device: () => false,
  };
}

/**
 * Applies the guards to every web contents the app ever creates.
 * !!! DO NOT relax without updating docs/security.md and test/main/security.test.ts !!!
 */
export function installSecurityHandlers(deps: {
  app: App;
  session: Session;
  openExternal: (url: string) => Promise<void>;
}): void {
  const { app, session, openExternal } = deps;
  const permissions = createPermissionHandlers();
  session.setPermissionRequestHandler(permissions.request);
  session.setPermissionCheckHandler(permissions.check);
  session.setDevicePermissionHandler(permissions.device);
  // The renderer must not reach the network even if CSP were bypassed.
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !details.url.startsWith(`${APP_ORIGIN}/`) && !details.url.startsWith('devtools://') });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void openExternal(url);
      return { action: 'deny' };
    });
  });
}
