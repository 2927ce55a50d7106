// `npm run ui-preview [-- --data-dir DIR] [-- --headless] [-- --no-build]`: builds the renderer,
// then opens it in Chromium with the real core services and the virtual drill key behind the
// bridge (test/e2e/support/ui-preview.ts). For designers and reviewers; no Electron binary needed.
//   --data-dir DIR  the journal to use (default: a new temporary directory, kept afterwards)
//   --headless      no window (for tests; reach the page over the DevTools port it prints)
//   --no-build      use dist/ as it is (what `npm run build` or `npm test` left)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
if (!args.includes('--no-build')) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
// The harness finds dist/renderer from its own folder (three levels below the project root, as
// test/e2e/support is), so the bundle sits at the same depth.
const out = path.join(root, '.tmp/e2e/support', `ui-preview-${process.pid}.cjs`);
mkdirSync(path.dirname(out), { recursive: true });
await build({
  entryPoints: [path.join(root, 'test/e2e/support/ui-preview.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  absWorkingDir: root,
  external: ['electron', 'better-sqlite3', 'node-hid', 'mongodb', '@aws-sdk/*', 'playwright-core'],
});
const child = spawn(process.execPath, [out, ...args.filter((a) => a !== '--no-build')], {
  stdio: 'inherit',
  cwd: root,
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  rmSync(out, { force: true });
  process.exit(signal ? 1 : (code ?? 0));
});
