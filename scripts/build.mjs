// Bundles the three Electron entry points and the CLI with esbuild.
// Native modules and the Electron API stay external: they are required at run time.
import { build } from 'esbuild';
import { cp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist');
// The driver's URI parser is the driver's own dependency: loaded from node_modules like the driver.
const external = [
  'electron',
  'better-sqlite3',
  'node-hid',
  'mongodb',
  'mongodb-connection-string-url',
  '@aws-sdk/*',
  'playwright-core',
];
const common = { bundle: true, sourcemap: false, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };

await mkdir(path.join(out, 'renderer'), { recursive: true });
const jobs = [
  build({
    ...common,
    entryPoints: ['src-main/app.ts'],
    outfile: 'dist/main.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
  }),
  build({
    ...common,
    entryPoints: ['src-main/preload/index.ts'],
    outfile: 'dist/preload.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
  }),
  build({
    ...common,
    entryPoints: ['src-main/cli/main.ts'],
    outfile: 'dist/cli.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
  }),
  // Minified: a reviewer's `breakglass verify` parses less before it starts (bench/evidence.bench.ts).
  build({
    ...common,
    entryPoints: ['src-main/cli/verify-main.ts'],
    outfile: 'dist/cli-verify.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    minify: true,
  }),
];
if (existsSync(path.join(root, 'src-renderer/main.tsx'))) {
  jobs.push(
    build({
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
    }),
  );
}
await Promise.all(jobs);
// V8's code cache for the verify bundle's start-up, made by the Node that runs the build;
// bin/breakglass.cjs uses it when it matches (bin/code-cache.cjs). V8 caches only the functions the
// warm-up ran, so the warm-up is a whole verify of a committed small bundle (a signed ceremony,
// test/build/verify-warm-up.test.ts) with no configuration file: every module's top level, the
// built-in configuration through its schema, parsing, the chain, the signatures, the rules and the
// verdict's rendering, ending in ORIGIN NOT VERIFIED (exit 5: no keys pinned).
const WARM_UP_EXIT = 5;
const env = { ...process.env };
delete env.BREAKGLASS_CONFIG;
const warmUp = [
  'verify',
  path.join(root, 'scripts/verify-warm-up.bundle.json'),
  '--data-dir',
  path.join(out, 'no-such-data-dir'),
];
const cached = spawnSync(
  process.execPath,
  [path.join(root, 'bin/code-cache.cjs'), path.join(out, 'cli-verify.cjs'), ...warmUp],
  { stdio: 'ignore', env },
);
if (cached.status !== WARM_UP_EXIT || !existsSync(path.join(out, 'cli-verify.cjs.v8cache')))
  throw new Error(
    `writing dist/cli-verify.cjs.v8cache failed (exit ${cached.status}, expected ${WARM_UP_EXIT}); ` +
      'if the bundle format changed: UPDATE_WARM_UP=1 npx vitest run test/build/verify-warm-up.test.ts',
  );
await cp(path.join(root, 'src-renderer/index.html'), path.join(out, 'renderer/index.html'));
if (existsSync(path.join(root, 'src-renderer/styles.css'))) {
  // styles.css imports the files of src-renderer/styles/ in cascade order; the window gets one file.
  await build({
    ...common,
    entryPoints: ['src-renderer/styles.css'],
    outfile: 'dist/renderer/styles.css',
    target: 'chrome120',
  });
}
