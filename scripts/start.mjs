// `npm start`: build, make sure native modules match Electron's ABI, then launch the real app.
// Extra arguments are passed to the app (e.g. `npm start -- --drill --data-dir /tmp/bg`).
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(path.join(root, 'package.json'));
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
execFileSync(process.execPath, [path.join(root, 'scripts/native-abi.mjs'), 'electron'], { stdio: 'inherit' });

let electronPath;
try {
  electronPath = require('electron');
} catch (error) {
  console.error('The Electron binary is not installed. Run `npm ci` with internet access (without ELECTRON_SKIP_BINARY_DOWNLOAD).');
  console.error(String(error));
  process.exit(1);
}
const child = spawn(electronPath, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => {
  // Leave the Node build in place for `npm test` and the CLI.
  try { execFileSync(process.execPath, [path.join(root, 'scripts/native-abi.mjs'), 'node'], { stdio: 'inherit' }); } catch { /* reported by the script */ }
  process.exit(signal ? 1 : (code ?? 0));
});
