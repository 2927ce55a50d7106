// `npm test`: each step says what it is doing and how long it took (type-checking, lint, the format
// check and the dead-code check print nothing while they work), then vitest, whose last line is
// `N passed, N failed, N skipped`. Arguments go to vitest (`npm test -- test/main/cli`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const modules = path.join(root, 'node_modules');
// [name, node arguments, what to do when the step fails (said on the step's last line)].
const STEPS = [
  ['better-sqlite3 for Node', ['scripts/native-abi.mjs', 'node']],
  ['type-check (tsc -b)', [path.join(modules, 'typescript/bin/tsc'), '-b']],
  ['lint (eslint .)', [path.join(modules, 'eslint/bin/eslint.js'), '.']],
  [
    'format (prettier --check .)',
    [path.join(modules, 'prettier/bin/prettier.cjs'), '--check', '--log-level', 'warn', '.'],
    'run `npm run format` to rewrite the files listed above, then commit them',
  ],
  [
    'dead code (knip)',
    [path.join(modules, 'knip/bin/knip.js'), '--no-progress'],
    'delete what knip lists above, or mark a true false positive in knip.jsonc with a comment saying why',
  ],
  ['build', ['scripts/build.mjs']],
];

for (const [i, [name, args, fix]] of STEPS.entries()) {
  console.log(`npm test: [${i + 1}/${STEPS.length + 1}] ${name}`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    const todo = fix ? `: ${fix}` : '';
    console.log(`npm test: ${name} failed (exit ${r.status ?? r.signal})${todo}; the tests did not run.`);
    process.exit(r.status || 1);
  }
  console.log(`npm test: ${name} done in ${Number((process.hrtime.bigint() - started) / 1_000_000n) / 1000} s`);
}
console.log(`npm test: [${STEPS.length + 1}/${STEPS.length + 1}] vitest`);
const r = spawnSync(process.execPath, [path.join(modules, 'vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
