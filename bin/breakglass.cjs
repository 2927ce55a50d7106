#!/usr/bin/env node
// The `breakglass` CLI. The bundle is produced by `npm run build`, which `npm ci` runs (prepare).
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('breakglass: the CLI is not built yet. Run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
require(bundle);
