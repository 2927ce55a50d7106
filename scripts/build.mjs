// Bundles the three Electron entry points and the CLI with esbuild.
// Native modules and the Electron API stay external: they are required at run time.
import { build } from 'esbuild';
import { cp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist');
// The driver's URI parser is the driver's own dependency: loaded from node_modules like the driver.
const external = ['electron', 'better-sqlite3', 'node-hid', 'mongodb', 'mongodb-connection-string-url', '@aws-sdk/*', 'playwright-core'];
const common = { bundle: true, sourcemap: false, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };

await mkdir(path.join(out, 'renderer'), { recursive: true });
const jobs = [
  build({ ...common, entryPoints: ['src-main/app.ts'], outfile: 'dist/main.cjs', platform: 'node', format: 'cjs', target: 'node20', external }),
  build({ ...common, entryPoints: ['src-main/preload/index.ts'], outfile: 'dist/preload.cjs', platform: 'node', format: 'cjs', target: 'chrome120', external: ['electron'] }),
  build({ ...common, entryPoints: ['src-main/cli/main.ts'], outfile: 'dist/cli.cjs', platform: 'node', format: 'cjs', target: 'node20', external }),
  build({ ...common, entryPoints: ['src-main/cli/verify-main.ts'], outfile: 'dist/cli-verify.cjs', platform: 'node', format: 'cjs', target: 'node20', external }),
];
if (existsSync(path.join(root, 'src-renderer/main.tsx'))) {
  jobs.push(build({
    ...common,
    entryPoints: ['src-renderer/main.tsx'],
    outfile: 'dist/renderer/main.js',
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    minify: true,
    jsx: 'automatic',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
  }));
}
await Promise.all(jobs);
await cp(path.join(root, 'src-renderer/index.html'), path.join(out, 'renderer/index.html'));
if (existsSync(path.join(root, 'src-renderer/styles.css'))) {
  await cp(path.join(root, 'src-renderer/styles.css'), path.join(out, 'renderer/styles.css'));
}
