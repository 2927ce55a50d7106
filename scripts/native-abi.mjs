// better-sqlite3 is not N-API: its binary is built for one ABI. Tests and the CLI run on Node,
// the app on Electron. This script puts the right binary in place for the runtime asked for,
// keeping both builds in a cache so switching is a copy, not a rebuild.
// node-hid is N-API with prebuilds for every runtime, so it needs nothing here.
// Usage: node scripts/native-abi.mjs node|electron
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('usage: node scripts/native-abi.mjs node|electron');
  process.exit(2);
}
const binary = path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const cacheDir = path.join(root, 'node_modules/.breakglass-native');
const abi = target === 'node' ? process.versions.modules : electronAbi();
const cached = path.join(cacheDir, `${target}-${abi}-better_sqlite3.node`);
const marker = path.join(cacheDir, 'current');

function electronAbi() {
  const version = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  return require('node-abi').getAbi(version, 'electron');
}
function current() {
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';
}
function loadsUnderNode() {
  try {
    execFileSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: root, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
function remember(tag) {
  mkdirSync(cacheDir, { recursive: true });
  copyFileSync(binary, cached);
  writeFileSync(marker, tag);
}

const tag = `${target}-${abi}`;
if (target === 'node') {
  if (loadsUnderNode()) {
    if (current() !== tag) remember(tag);
    process.exit(0);
  }
  if (existsSync(cached)) copyFileSync(cached, binary);
  else execFileSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit' });
  if (!loadsUnderNode()) {
    console.error('better-sqlite3 does not load under this Node. Try: npm rebuild better-sqlite3');
    process.exit(1);
  }
  remember(tag);
} else {
  if (current() === tag && existsSync(binary)) process.exit(0);
  if (loadsUnderNode()) { mkdirSync(cacheDir, { recursive: true }); copyFileSync(binary, path.join(cacheDir, `node-${process.versions.modules}-better_sqlite3.node`)); }
  if (existsSync(cached)) copyFileSync(cached, binary);
  else execFileSync(path.join(root, 'node_modules/.bin/electron-builder'), ['install-app-deps'], { cwd: root, stdio: 'inherit' });
  remember(tag);
}
