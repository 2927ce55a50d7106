// better-sqlite3 is not N-API: its binary is built for one ABI. Tests and the CLI run on Node,
// the app on Electron. This script puts the right binary in place for the runtime asked for,
// keeping both builds in a cache so switching is a copy, not a rebuild.
// node-hid is N-API and ships prebuilds for every OS in its npm package, which Electron loads as
// they are: it is never rebuilt (rebuilding it from source needs libusb headers and pkg-config).
// Usage: node scripts/native-abi.mjs node|electron
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: node scripts/native-abi.mjs node|electron');
  process.exit(2);
}
const moduleDir = path.join(root, 'node_modules/better-sqlite3');
const binary = path.join(moduleDir, 'build/Release/better_sqlite3.node');
// What an Electron rebuild leaves beside the binary: @electron/rebuild's marker and node-gyp's
// python symlink folder. Left there, they would be packaged and they fail the packaging test,
// so they go whichever way we switch.
const REBUILD_LEFTOVERS = ['build/Release/.forge-meta', 'build/node_gyp_bins'];
const cacheDir = path.join(root, 'node_modules/.breakglass-native');
const marker = path.join(cacheDir, 'current');

function electronVersion() {
  return JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
}
/** Electron's package says its own ABI (`abi_version`): no lookup table that can lag behind. */
function electronAbi() {
  return readFileSync(path.join(root, 'node_modules/electron/abi_version'), 'utf8').trim();
}
function current() {
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';
}
function cachedFor(tag) {
  return path.join(cacheDir, `${tag}-better_sqlite3.node`);
}
function loadsUnderNode() {
  try {
    execFileSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
      cwd: root,
      stdio: 'pipe',
    });
    return true;
  } catch {
    return false;
  }
}
function removeLeftovers() {
  for (const rel of REBUILD_LEFTOVERS) rmSync(path.join(moduleDir, rel), { recursive: true, force: true });
}
function remember(tag) {
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(binary, cachedFor(tag));
  writeFileSync(marker, tag);
}
/** One line for the person at the terminal, no stack trace. */
function fail(line) {
  console.error(line);
  process.exit(1);
}
function firstLine(error) {
  return String(error?.message ?? error)
    .split('\n')[0]
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 200);
}

async function switchToElectron() {
  const version = electronVersion();
  const tag = `electron-${electronAbi()}`;
  if (current() === tag && existsSync(binary)) return removeLeftovers();
  if (loadsUnderNode()) remember(`node-${process.versions.modules}`);
  if (existsSync(cachedFor(tag))) {
    copyFileSync(cachedFor(tag), binary);
  } else {
    console.log(`better-sqlite3: getting its build for Electron ${version} (first start only)`);
    try {
      // Only better-sqlite3: a prebuilt binary for this Electron when one can be downloaded,
      // else a build against Electron's headers. Never node-hid (see the top of this file).
      const { rebuild } = await import('@electron/rebuild');
      await rebuild({ buildPath: root, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
    } catch (error) {
      fail(
        `better-sqlite3 could not be built for Electron ${version} (${firstLine(error)}). This needs internet once ` +
          "(a prebuilt binary, or Electron's headers plus a C/C++ toolchain and Python 3): connect and run it again.",
      );
    }
  }
  removeLeftovers();
  remember(tag);
}

function switchToNode() {
  const tag = `node-${process.versions.modules}`;
  removeLeftovers();
  if (loadsUnderNode()) {
    if (current() !== tag) remember(tag);
    return;
  }
  if (existsSync(cachedFor(tag))) copyFileSync(cachedFor(tag), binary);
  else {
    try {
      execFileSync('npm', ['rebuild', 'better-sqlite3'], {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
    } catch (error) {
      fail(
        `better-sqlite3 could not be rebuilt for Node ${process.version} (${firstLine(error)}). Run: npm rebuild better-sqlite3`,
      );
    }
  }
  if (!loadsUnderNode()) fail('better-sqlite3 does not load under this Node. Run: npm rebuild better-sqlite3');
  remember(tag);
}

if (target === 'node') switchToNode();
else await switchToElectron();
