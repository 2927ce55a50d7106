// A stand-in for the `electron` module, loaded with `node -r` so the real bundled entry point
// (dist/main.cjs) can start under plain Node where no Electron binary exists. It records what the
// app asks of Electron and prints it as JSON once start-up has settled (see whenReady).
const Module = require('node:module');
const path = require('node:path');
const calls = {
  errorBoxes: [],
  sandbox: false,
  singleInstance: false,
  schemes: [],
  protocols: [],
  permissionHandlers: [],
  webRequestGuard: false,
  ipc: [],
  windows: [],
  listeners: [],
};
const noop = () => {};
const events = () => {
  const on = (name) => {
    calls.listeners.push(name);
    return api;
  };
  const api = { on, once: on };
  return api;
};
class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = { send: noop, isDestroyed: () => false, on: noop, setWindowOpenHandler: noop };
    calls.windows.push({
      webPreferences: { ...options.webPreferences, preload: path.basename(options.webPreferences.preload) },
    });
  }
  loadURL(url) {
    calls.windows[calls.windows.length - 1].url = url;
    return Promise.resolve();
  }
  once() {
    return this;
  }
  on() {
    return this;
  }
  isDestroyed() {
    return false;
  }
  static getAllWindows() {
    return [];
  }
}
let reported = false;
/** Prints what the app asked of Electron (once) and ends the process as the app would. */
function report() {
  if (reported) return;
  reported = true;
  process.stdout.write(`@@CALLS ${JSON.stringify(calls)}\n`);
  process.exit(0);
}
const electron = {
  app: {
    isPackaged: false,
    commandLine: { hasSwitch: () => false },
    enableSandbox: () => {
      calls.sandbox = true;
    },
    requestSingleInstanceLock: () => {
      calls.singleInstance = true;
      return true;
    },
    // Start-up has settled once the app's ready handler has run: it is attached to this promise
    // with .then right after the call, runs synchronously in that microtask (its .catch exits 1
    // in the next one), so a setImmediate queued when the promise settles runs after both.
    // Waiting on that, not on a timer, keeps the report right however slow the machine is.
    whenReady: () => {
      const ready = new Promise((resolve) => setImmediate(resolve));
      ready.then(() => setImmediate(report));
      return ready;
    },
    on: (name) => calls.listeners.push(`app:${name}`),
    quit: noop,
    exit: (code) => {
      reported = true;
      process.stdout.write(`@@CALLS ${JSON.stringify(calls)}\n`);
      process.exit(code);
    },
    getPath: () => process.env.FAKE_USER_DATA,
    getVersion: () => '0.0.0-test',
  },
  protocol: {
    registerSchemesAsPrivileged: (s) => calls.schemes.push(...s.map((x) => x.scheme)),
    handle: (scheme) => calls.protocols.push(scheme),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => calls.permissionHandlers.push('request'),
      setPermissionCheckHandler: () => calls.permissionHandlers.push('check'),
      setDevicePermissionHandler: () => calls.permissionHandlers.push('device'),
      webRequest: {
        onBeforeRequest: () => {
          calls.webRequestGuard = true;
        },
      },
    },
  },
  ipcMain: { handle: (channel) => calls.ipc.push(channel), on: noop, removeHandler: noop },
  shell: { openExternal: () => Promise.resolve() },
  dialog: { showErrorBox: (title, content) => calls.errorBoxes.push({ title, content }) },
  BrowserWindow,
  powerMonitor: events(),
  net: { isOnline: () => true },
};
const fakePath = __filename;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? fakePath : resolve.call(this, request, ...rest);
};
require.cache[fakePath] = { id: fakePath, filename: fakePath, loaded: true, exports: electron };
// An app that never gets to its ready handler (it quit, or waits on something) still reports
// once nothing is left to run, rather than after a guessed delay.
process.once('beforeExit', report);
