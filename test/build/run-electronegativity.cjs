// Runs @doyensec/electronegativity over one directory, offline, and writes its findings as JSON.
// Usage: node run-electronegativity.cjs <input-dir> <output.json> [skip-check ...]
// A child process of its own because electronegativity installs i18n globals and wants to fetch
// translations and Electron's release list: here its HTTP client is replaced by one that fails at
// once, and every socket is refused, so the scan is the same with or without a network.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { createRequire } = require('node:module');

const [input, output, ...skipChecks] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node run-electronegativity.cjs <input-dir> <output.json> [skip-check ...]');
  process.exit(2);
}

const requireFromEng = createRequire(
  require.resolve('@doyensec/electronegativity/package.json', { paths: [process.cwd(), __dirname] }),
);
const offline = () => Promise.reject(new Error('offline: electronegativity runs without a network here'));
offline.head = offline;
offline.get = offline;
const gotPath = requireFromEng.resolve('got');
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
net.Socket.prototype.connect = function refuse() {
  throw new Error('offline: electronegativity tried to open a socket');
};

const run = requireFromEng('./dist/runner.js');
run({ input: path.resolve(input), isRelative: true, excludeFromScan: skipChecks, parserPlugins: [] }).then(
  (result) => {
    const issues = result.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      severity_value: i.severity.value,
      confidence: i.confidence.name,
      file: String(i.file).split(path.sep).join('/'),
      line: i.location?.line ?? 0,
      column: i.location?.column ?? 0,
      sample: String(i.sample ?? '').slice(0, 200),
      description: String(i.description ?? ''),
      manual_review: Boolean(i.manualReview),
      url: i.shortenedURL ?? '',
    }));
    const errors = result.errors.map((e) => ({
      file: path.relative(path.resolve(input), e.file).split(path.sep).join('/'),
      message: e.message,
      tolerable: e.tolerable,
    }));
    fs.writeFileSync(
      output,
      JSON.stringify({ globalChecks: result.globalChecks, atomicChecks: result.atomicChecks, issues, errors }, null, 2),
    );
  },
  (error) => {
    console.error(`electronegativity failed: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
