#!/usr/bin/env node
// The `breakglass` CLI. The bundle is produced by `npm run build`, which `npm ci` runs (prepare).
const path = require('node:path');
const fs = require('node:fs');
// `verify` has an entry of its own with only what verification needs: it starts in a fraction of the time.
const verifyOnly = process.argv[2] === 'verify' && fs.existsSync(path.join(__dirname, '..', 'dist', 'cli-verify.cjs'));
const bundle = path.join(__dirname, '..', 'dist', verifyOnly ? 'cli-verify.cjs' : 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('breakglass: the CLI is not built yet. Run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
// verify through V8's code cache that the build wrote for it (bin/code-cache.cjs); any other command as usual.
if (verifyOnly) require('./code-cache.cjs').requireWithCodeCache(bundle);
else require(bundle);
