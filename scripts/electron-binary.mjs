// Electron 45's npm package no longer downloads its binary during `npm ci`: the first
// `require('electron')` does, and on failure it prints two stack traces. `npm start` calls this
// first, so an offline machine gets one line saying what happened and what to do.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const EXECUTABLE = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' };

/** The Electron executable's path, downloading it if needed; or the one line to print. */
export function ensureElectronBinary(root, env = process.env) {
  const pkgDir = path.join(root, 'node_modules/electron');
  if (!existsSync(path.join(pkgDir, 'package.json')))
    return { error: 'Electron is not installed: run `npm ci` first.' };
  const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const located = () => {
    const rel = existsSync(path.join(pkgDir, 'path.txt'))
      ? readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim()
      : (EXECUTABLE[process.platform] ?? 'electron');
    const file = env.ELECTRON_OVERRIDE_DIST_PATH
      ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, rel)
      : path.join(pkgDir, 'dist', rel);
    return existsSync(file) ? file : null;
  };
  const found = located();
  if (found) return { path: found };
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    return {
      error: `ELECTRON_OVERRIDE_DIST_PATH (${printable(env.ELECTRON_OVERRIDE_DIST_PATH)}) holds no Electron executable: point it at an unpacked Electron ${version}, or unset it.`,
    };
  }
  console.log(`Electron ${version}: downloading its binary (first start only, cached for later)`);
  const r = spawnSync(process.execPath, [path.join(pkgDir, 'install.js')], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const after = r.status === 0 ? located() : null;
  if (after) return { path: after };
  const cause = printable(
    `${r.stderr ?? ''}\n${r.error?.message ?? ''}`.split('\n').find((l) => l.trim() && !/^\s+at /.test(l)) ??
      `exit ${r.status}`,
  );
  return {
    error:
      `No Electron binary: Electron ${version} downloads it on the first \`npm start\` and the download failed (${cause}). ` +
      'Connect to the internet and run `npm start` again; `npm test` and the CLI (`npx breakglass`) work without it.',
  };
}

function printable(text) {
  return String(text)
    .trim()
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 160);
}
