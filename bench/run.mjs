// `npm run bench`: runs every bench/*.bench.ts in its own Node process and prints the figures.
// Benchmarks report ratios against a baseline measured in the same run on the same machine,
// because absolute timings on a shared 2-core machine mean little. Nothing here is a test.
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const only = process.argv.slice(2);
const outDir = path.join(root, 'bench/results');
mkdirSync(outDir, { recursive: true });
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const results = {};
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.bench\.ts$/, '');
  const entry = path.join(outDir, `${name}.entry.ts`);
  writeFileSync(
    entry,
    `import { run } from '../${file.replace(/\.ts$/, '')}';\nrun().then((r) => process.stdout.write('\\n@@RESULT ' + JSON.stringify(r) + '\\n'), (e) => { console.error(e); process.exit(1); });\n`,
  );
  const bundle = path.join(outDir, `${name}.cjs`);
  buildSync({
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', 'node-hid', 'mongodb', 'bson', 'playwright-core', 'esbuild', '@aws-sdk/*'],
    logLevel: 'error',
  });
  process.stdout.write(`\n== ${name}\n`);
  try {
    const out = execFileSync(process.execPath, ['--expose-gc', bundle], {
      cwd: root,
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
    const result = JSON.parse(line.slice('@@RESULT '.length));
    results[name] = result;
    for (const [k, v] of Object.entries(result))
      process.stdout.write(`  ${k.padEnd(40)} ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
    const misses = Object.entries(result).filter(([k, v]) => k.endsWith('pass') && v === false);
    if (misses.length) failed += 1;
  } catch (error) {
    failed += 1;
    process.stdout.write(`  FAILED: ${error.message}\n`);
  }
}
// A filtered run (`npm run bench -- sync`) updates its own figures and keeps the others.
const latest = path.join(outDir, 'latest.json');
const previous = existsSync(latest) ? (JSON.parse(readFileSync(latest, 'utf8')).results ?? {}) : {};
writeFileSync(
  latest,
  JSON.stringify(
    { at: new Date().toISOString(), node: process.version, results: { ...previous, ...results } },
    null,
    2,
  ),
);
process.stdout.write(
  `\n${benches.length} benchmarks, ${failed} missed a target or failed. Figures in bench/results/latest.json\n`,
);
