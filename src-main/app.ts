// Electron entry point: a table of contents. Logic lives in plain modules that run without Electron.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import path from 'node:path';
import { parseAppArgs } from './app-args';
import { defaultDataDir } from './data-dir';
import { createEventHub } from './ipc/event-hub';
import { registerHandlers } from './ipc/handle';
import { createHandlers } from './ipc/handlers';
import { watchKeys } from './ipc/key-views';
import { APP_SCHEME, debuggingSwitches, installSecurityHandlers, isAllowedExternalUrl } from './security';
import { serveRendererRequest } from './serve-renderer';
import { createCoreServices, type CoreServices } from './services';
import { createMainWindow, isTrustedSender } from './windows';

const args = parseAppArgs(process.argv.slice(app.isPackaged ? 1 : 2));
const dataDir = args.dataDir ?? defaultDataDir();
const events = createEventHub();
let mainWindow: BrowserWindow | null = null;
let core: CoreServices | null = null;

// The fuses switch off --inspect and NODE_OPTIONS, but not Chromium's remote debugging: an
// installed app started with it would hand the ceremony window to whoever connects.
const debugging = app.isPackaged ? debuggingSwitches(app.commandLine) : [];
if (debugging.length > 0) {
  console.error(`Breakglass refuses to start with ${debugging.map((s) => `--${s}`).join(', ')}.`);
  app.exit(1);
}

// Sandbox every renderer the app could ever create, not only the ones we remember to configure.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
]);

if (!app.requestSingleInstanceLock()) {
  // A second ceremony window on the same journal would be a second writer: focus the first one.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      // Anything thrown while starting (a damaged or foreign journal file, a newer schema) is
      // shown to the person in words, then the app exits: never a silent, windowless process.
      const message = error instanceof Error ? error.message : String(error);
      console.error('Breakglass failed to start:', message);
      dialog.showErrorBox('Breakglass cannot start', message);
      app.exit(1);
    });
}

function onReady(): void {
  setupSecurity();
  setupRendererProtocol();
  core = setupCore();
  setupIpc(core);
  setupWindow();
  setupKeyWatch(core);
}

async function openExternal(url: string): Promise<void> {
  if (isAllowedExternalUrl(url)) await shell.openExternal(url);
}

function setupSecurity(): void {
  installSecurityHandlers({ app, session: session.defaultSession, openExternal });
}

function setupRendererProtocol(): void {
  const root = path.join(__dirname, 'renderer');
  protocol.handle(APP_SCHEME, (request) => serveRendererRequest(root, request));
}

/** Journal, configuration (a broken file is shown in the window, not thrown), keys, ceremony, sync. */
function setupCore(): CoreServices {
  return createCoreServices({ dataDir, configPath: args.config, drillOnly: args.drill, events });
}

function setupIpc(c: CoreServices): void {
  registerHandlers(ipcMain, createHandlers(c, { openExternal }), (event) =>
    isTrustedSender(mainWindow, event.sender, event.senderFrame),
  );
}

function setupWindow(): void {
  mainWindow = createMainWindow(path.join(__dirname, 'preload.cjs'));
  const contents = mainWindow.webContents;
  const disconnect = events.connect((event, payload) => {
    if (!contents.isDestroyed()) contents.send(event, payload);
  });
  mainWindow.on('closed', () => {
    disconnect();
    mainWindow = null;
  });
}

function setupKeyWatch(c: CoreServices): void {
  watchKeys(c);
}

app.on('window-all-closed', () => {
  const closing = core?.close();
  core = null;
  void Promise.resolve(closing).finally(() => app.quit());
});
