// The Node version the README states is true: package.json engines, the README and .ci/run
// agree, every package the tests and the CLI load declares support for Node 20.19, and the
// higher version the README names for `npm start` / `npm run dist` is exactly what Electron's
// tooling declares (that is what `npm ci` warns about on Node 20).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './packaging-rules';

// npm's own version-range logic (semver is in every npm tree; npm itself uses it for engines).
const semver = createRequire(path.join(ROOT, 'package.json'))('semver') as {
  satisfies(v: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  gt(a: string, b: string): boolean;
};

interface LockEntry {
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');

/** Only `npm start` and `npm run dist` use these (scripts/start.mjs, native-abi.mjs electron). */
const START_AND_DIST_ONLY = ['electron', 'electron-builder', '@electron/rebuild'];

/** Where npm resolves `name` from the package at `from` (node_modules nesting, then upwards). */
function resolveIn(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

function closure(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = roots.map((r) => resolveIn('', r)).filter((r): r is string => r !== undefined);
  while (queue.length > 0) {
    const at = queue.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const entry = lock.packages[at]!;
    for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      const found = resolveIn(at, dep);
      if (found) queue.push(found);
    }
  }
  return seen;
}

const minimum = pkg.engines.node.replace(/^>=\s*/, '');

describe('the Node requirement', () => {
  it('is the same in package.json engines, the README and .ci/run', () => {
    expect(pkg.engines.node).toMatch(/^>=\d+\.\d+$/);
    expect(readme).toContain(`Node.js ${minimum}+`);
    expect(ci).toContain(`the ${minimum} the README requires`);
  });

  it("covers every package but Electron's and electron-builder's tooling (npm start and npm run dist only)", () => {
    const everyday = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      (d) => !START_AND_DIST_ONLY.includes(d),
    );
    const tooNew = [...closure(everyday)].filter((p) => {
      const range = lock.packages[p]!.engines?.node;
      return range !== undefined && !semver.satisfies(`${minimum}.0`, range);
    });
    expect(tooNew).toEqual([]);
  });

  it("names for npm start and npm run dist the newest Node that Electron's tooling declares", () => {
    const starting = closure(START_AND_DIST_ONLY);
    let newest = `${minimum}.0`;
    for (const p of starting) {
      const range = lock.packages[p]!.engines?.node;
      const min = range ? semver.minVersion(range)?.version : undefined;
      if (min && semver.gt(min, newest)) newest = min;
    }
    // The packages npm ci warns about on the minimum: the README names each one.
    const warned = [...starting].filter((p) => {
      const range = lock.packages[p]!.engines?.node;
      return range !== undefined && !semver.satisfies(`${minimum}.0`, range);
    });
    expect(warned.length).toBeGreaterThan(0);
    for (const p of warned) expect(readme).toContain(`\`${p.replace(/^.*node_modules\//, '')}\``);
    const short = newest.replace(/\.0$/, '');
    expect(semver.gt(newest, `${minimum}.0`)).toBe(true);
    expect(readme).toMatch(
      new RegExp(`Node\\.js ${short.replace(/\./g, '\\.')}\\+ for \`npm start\` and \`npm run dist\``),
    );
  });
});
