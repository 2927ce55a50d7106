import { app, BrowserWindow } from 'electron';
import { APP_ORIGIN, secureWebPreferences } from './security';

/** The one window. Everything security-relevant comes from secureWebPreferences(). */
export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    title: 'Breakglass',
    show: false,
    backgroundColor: '#101418',
    // DevTools only while developing: an installed app has no console into the ceremony.
    webPreferences: secureWebPreferences(preloadPath, { devTools: !app.isPackaged }),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** Only our window's main frame, showing our own origin, may call main. */
export function isTrustedSender(
  win: BrowserWindow | null,
  sender: Electron.WebContents,
  senderFrame: Electron.WebFrameMain | null,
): boolean {
  if (!win || win.isDestroyed() || sender !== win.webContents) return false;
  if (!senderFrame || senderFrame.parent !== null) return false;
  try {
    return new URL(senderFrame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}
