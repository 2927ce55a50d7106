// `npm test`: each step says what it is doing and how long it took (type-checking and lint
// print nothing while they work), then vitest, whose last line is `N passed, N failed, N skipped`.
// Arguments go to vitest (`npm test -- test/main/cli`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const modules = path.join(root, 'node_modules');
const STEPS = [
  ['better-sqlite3 for Node', ['scripts/native-abi.mjs', 'node']],
  ['type-check (tsc -b)', [path.join(modules, 'typescript/bin/tsc'), '-b']],
  ['lint (eslint .)', [path.join(modules, 'eslint/bin/eslint.js'), '.']],
  ['build', ['scripts/build.mjs']],
];

for (const [i, [name, args]] of STEPS.entries()) {
  console.log(`npm test: [${i + 1}/${STEPS.length + 1}] ${name}`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`npm test: ${name} failed (exit ${r.status ?? r.signal}); the tests did not run.`);
    process.exit(r.status || 1);
  }
  console.log(`npm test: ${name} done in ${Number((process.hrtime.bigint() - started) / 1_000_000n) / 1000} s`);
}
console.log(`npm test: [${STEPS.length + 1}/${STEPS.length + 1}] vitest`);
const r = spawnSync(process.execPath, [path.join(modules, 'vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
