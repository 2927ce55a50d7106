// bin/code-cache.cjs: `breakglass verify` runs through a V8 code cache written by the build. The
// cache may only ever speed up the bundle it was made from: V8 itself checks its version and
// flags but not that the cache belongs to this source, so a stale cache must never be used.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const CODE_CACHE = path.join(ROOT, 'bin/code-cache.cjs');
const { readSource, cachedDataFor } = createRequire(import.meta.url)(CODE_CACHE) as {
  readSource(file: string): { digest: Buffer; source: string };
  cachedDataFor(digest: Buffer, cacheFile: string): Buffer | undefined;
};

/** A bundle that prints what it computes, in a function V8 compiles lazily (so it is in the cache). */
const bundle = (word: string) =>
  `function say() { return ${JSON.stringify(word)} + ':' + process.argv.slice(2).join(','); }\nprocess.stdout.write(say());\n`;

/** Runs `file` the way bin/breakglass.cjs runs verify, in its own process: its output and whether V8 used the cache. */
function runCached(file: string): { out: string; used: boolean } {
  const runner = path.join(path.dirname(file), 'run.cjs');
  writeFileSync(
    runner,
    `const used = require(${JSON.stringify(CODE_CACHE)}).requireWithCodeCache(${JSON.stringify(file)});\nprocess.stderr.write(String(used));\n`,
  );
  const r = spawnSync(process.execPath, [runner, 'a', 'b'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return { out: r.stdout, used: r.stderr === 'true' };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the verify code cache', () => {
  it('is written by running the bundle and then used for exactly that bundle', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-code-cache-'));
    const file = path.join(dir, 'b.cjs');
    writeFileSync(file, bundle('first'));
    const made = execFileSync(process.execPath, [CODE_CACHE, file, 'x', 'y'], { encoding: 'utf8' });
    expect(made).toBe('first:x,y');
    expect(existsSync(`${file}.v8cache`)).toBe(true);
    expect(runCached(file)).toEqual({ out: 'first:a,b', used: true });
  });

  it('is not used for a bundle changed after it was made, even one of the same length', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-code-cache-'));
    const file = path.join(dir, 'b.cjs');
    writeFileSync(file, bundle('first'));
    execFileSync(process.execPath, [CODE_CACHE, file], { stdio: 'ignore' });
    // Same length, other code: V8's own check compares lengths, so only the digest tells them apart.
    writeFileSync(file, bundle('other'));
    expect(bundle('other').length).toBe(bundle('first').length);
    expect(runCached(file)).toEqual({ out: 'other:a,b', used: false });
  });

  it('is not needed: without one (or with a damaged one) the bundle runs the same', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bg-code-cache-'));
    const file = path.join(dir, 'b.cjs');
    writeFileSync(file, bundle('plain'));
    expect(runCached(file)).toEqual({ out: 'plain:a,b', used: false });
    writeFileSync(`${file}.v8cache`, Buffer.alloc(10));
    expect(runCached(file)).toEqual({ out: 'plain:a,b', used: false });
  });

  it('is built for dist/cli-verify.cjs and accepted by this Node', () => {
    const file = path.join(ROOT, 'dist/cli-verify.cjs');
    const { digest, source } = readSource(file);
    const cachedData = cachedDataFor(digest, `${file}.v8cache`);
    expect(cachedData, 'npm run build writes dist/cli-verify.cjs.v8cache for the bundle it built').toBeDefined();
    const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
    expect(script.cachedDataRejected).toBe(false);
    expect(readFileSync(`${file}.v8cache`).length).toBeGreaterThan(cachedData!.length);
  });

  // One character outside ASCII anywhere (esbuild leaves regular expressions as written) makes V8
  // hold the whole source as two-byte text: twice the memory, a slower decode and compile at every
  // start. Write such characters as \u escapes in the source.
  it('is made from an all-ASCII dist/cli-verify.cjs', () => {
    const bytes = readFileSync(path.join(ROOT, 'dist/cli-verify.cjs'));
    const firstOther = bytes.findIndex((b) => b > 0x7f);
    expect(firstOther, bytes.subarray(Math.max(0, firstOther - 60), firstOther + 20).toString()).toBe(-1);
  });
});
