// `npm start`: check the Electron binary (fetching it the first time), build, make sure native
// modules match Electron's ABI, then launch the real app.
// Extra arguments are passed to the app (e.g. `npm start -- --drill --data-dir /tmp/bg`).
// A step that cannot go on says why in one line (no stack trace) and exits 1.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronBinary } from './electron-binary.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const electron = ensureElectronBinary(root);
if (electron.error) {
  console.error(`npm start: ${electron.error}`);
  process.exit(1);
}
/** Runs one of our scripts; they print their own one-line reason when they fail. */
function step(script, ...args) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
step('build.mjs');
step('native-abi.mjs', 'electron');

const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => {
  // Leave the Node build in place for `npm test` and the CLI.
  spawnSync(process.execPath, [path.join(root, 'scripts/native-abi.mjs'), 'node'], { stdio: 'inherit' });
  process.exit(signal ? 1 : (code ?? 0));
});
