// Runs a CommonJS bundle with V8's code cache for it: the bytecode of the functions its start-up
// runs, written by `npm run build` next to the bundle (dist/<bundle>.v8cache), so `breakglass
// verify` skips parsing and compiling them. Node 20 has no module.enableCompileCache.
//
// Nothing is written at run time: the cache is a build artefact like the bundle it belongs to.
// V8 checks its own version and flags and rejects a cache made by another Node; V8 does not check
// that the cache belongs to this exact source, so the file starts with the SHA-256 of the source
// it was made from, and a cache for any other source is never handed to V8.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIGEST_BYTES = 32;

/** The file's bytes and text: the digest is taken over the bytes (hashing the decoded text would encode it again). */
function readSource(file) {
  const bytes = fs.readFileSync(file);
  return { digest: createHash('sha256').update(bytes).digest(), source: bytes.toString('utf8') };
}

function compile(file, source, cachedData) {
  return new vm.Script(Module.wrap(source), { filename: file, cachedData });
}

function run(script, file) {
  const module = { exports: {} };
  script
    .runInThisContext()
    .call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
}

/** The V8 cached data in `cacheFile` if it was made from exactly the source with `digest`; otherwise undefined. */
function cachedDataFor(digest, cacheFile) {
  let bytes;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (bytes.length <= DIGEST_BYTES || !bytes.subarray(0, DIGEST_BYTES).equals(digest)) return undefined;
  return bytes.subarray(DIGEST_BYTES);
}

/** Requires `file` like require() does, through its cache when one was built for it. Returns whether V8 used the cache. */
function requireWithCodeCache(file, cacheFile = `${file}.v8cache`) {
  const { digest, source } = readSource(file);
  const cachedData = cachedDataFor(digest, cacheFile);
  const script = compile(file, source, cachedData);
  run(script, file);
  return cachedData !== undefined && !script.cachedDataRejected;
}

/**
 * For the build: runs `file` with `argv` (its start-up: every module's top level) and, at exit,
 * writes the code V8 compiled for it, behind the source's digest. The old cache goes first, so a
 * failed run leaves none rather than a stale one.
 */
function writeCodeCache(file, argv, cacheFile = `${file}.v8cache`) {
  fs.rmSync(cacheFile, { force: true });
  const { digest, source } = readSource(file);
  const script = compile(file, source, undefined);
  process.argv = [process.argv[0], file, ...argv];
  process.on('exit', () => {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat([digest, script.createCachedData()]));
    fs.renameSync(tmp, cacheFile);
  });
  run(script, file);
}

module.exports = { requireWithCodeCache, writeCodeCache, cachedDataFor, readSource };

// `node bin/code-cache.cjs BUNDLE ARGS...` (scripts/build.mjs): writes BUNDLE.v8cache.
if (require.main === module) writeCodeCache(path.resolve(process.argv[2]), process.argv.slice(3));
