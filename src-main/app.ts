// Electron entry point: a table of contents. Logic lives in plain modules that run without Electron.
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import path from 'node:path';
import { parseAppArgs } from './app-args';
import { defaultDataDir } from './data-dir';
import { registerHandlers } from './ipc/handle';
import { openJournal, type Journal } from './journal/journal';
import { createHandlers } from './ipc/handlers';
import { APP_SCHEME, installSecurityHandlers, isAllowedExternalUrl } from './security';
import { serveRendererRequest } from './serve-renderer';
import { createMainWindow, isTrustedSender } from './windows';

const args = parseAppArgs(process.argv.slice(app.isPackaged ? 1 : 2));
const dataDir = args.dataDir ?? defaultDataDir();
let mainWindow: BrowserWindow | null = null;
let journal: Journal | null = null;

// Sandbox every renderer the app could ever create, not only the ones we remember to configure.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);

if (!app.requestSingleInstanceLock()) {
  // A second ceremony window on the same journal would be a second writer: focus the first one.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.whenReady().then(onReady, (error: unknown) => {
    console.error('Breakglass failed to start:', error);
    app.exit(1);
  });
}

function onReady(): void {
  setupSecurity();
  setupRendererProtocol();
  journal = openJournal({ dataDir });
  setupIpc(journal);
  mainWindow = createMainWindow(path.join(__dirname, 'preload.cjs'));
  mainWindow.on('closed', () => (mainWindow = null));
}

function setupSecurity(): void {
  installSecurityHandlers({
    app,
    session: session.defaultSession,
    openExternal: async (url) => {
      if (isAllowedExternalUrl(url)) await shell.openExternal(url);
    },
  });
}

function setupRendererProtocol(): void {
  const root = path.join(__dirname, 'renderer');
  protocol.handle(APP_SCHEME, (request) => serveRendererRequest(root, request));
}

function setupIpc(j: Journal): void {
  registerHandlers(ipcMain, createHandlers({ journal: j, dataDir }), (event) => isTrustedSender(mainWindow, event.sender, event.senderFrame));
}

app.on('window-all-closed', () => {
  journal?.close();
  app.quit();
});
