// scripts/native-abi.mjs switches better-sqlite3 between its Node and Electron builds. It runs
// here in a scratch project whose @electron/rebuild is a stand-in that records what it was asked
// and leaves what the real one leaves (an Electron-ABI binary that Node cannot load, and
// .forge-meta beside it): the real one needs Electron's servers.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, nodeModulesFileFilter } from './packaging-rules';
import { REAL_MODULES, copyScript, linkModule, realElectronVersion, writeModule } from './scratch-project';
import { useTempDir } from '../support/temp-dir';

const tempDir = useTempDir('breakglass-native-abi-');
const ELECTRON_BINARY_TEXT = 'an Electron-ABI build Node cannot load';

/** The real better-sqlite3 (its Node build) copied, so the script can swap its binary. */
function scratchProject(): string {
  const project = tempDir();
  copyScript(project, 'native-abi.mjs');
  const sqlite = path.join(project, 'node_modules/better-sqlite3');
  for (const part of ['package.json', 'lib'])
    cpSync(path.join(REAL_MODULES, 'better-sqlite3', part), path.join(sqlite, part), { recursive: true });
  const cachedNode = path.join(REAL_MODULES, `.breakglass-native/node-${process.versions.modules}-better_sqlite3.node`);
  mkdirSync(path.join(sqlite, 'build/Release'), { recursive: true });
  cpSync(
    existsSync(cachedNode) ? cachedNode : path.join(REAL_MODULES, 'better-sqlite3/build/Release/better_sqlite3.node'),
    path.join(sqlite, 'build/Release/better_sqlite3.node'),
  );
  linkModule(project, 'bindings');
  linkModule(project, 'file-uri-to-path');
  writeModule(project, 'electron', {
    'package.json': JSON.stringify({ name: 'electron', version: realElectronVersion() }),
    abi_version: readFileSync(path.join(REAL_MODULES, 'electron/abi_version'), 'utf8'),
  });
  writeModule(project, '@electron/rebuild', {
    'package.json': JSON.stringify({ name: '@electron/rebuild', type: 'module', exports: './main.js' }),
    'main.js': `import { writeFileSync } from 'node:fs';
import path from 'node:path';
export async function rebuild(options) {
  writeFileSync(path.join(options.buildPath, 'rebuild-options.json'), JSON.stringify(options));
  if (process.env.STAND_IN_FAILS) throw new Error('getaddrinfo ENOTFOUND electronjs.org\\n    at a stack line');
  const release = path.join(options.buildPath, 'node_modules/better-sqlite3/build/Release');
  writeFileSync(path.join(release, 'better_sqlite3.node'), ${JSON.stringify(ELECTRON_BINARY_TEXT)});
  writeFileSync(path.join(release, '.forge-meta'), 'x64--150');
}
`,
  });
  return project;
}

function runScript(project: string, target: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [path.join(project, 'scripts/native-abi.mjs'), target], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function loadsUnderNode(project: string): boolean {
  return (
    spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: project })
      .status === 0
  );
}

/** Every file under better-sqlite3/build, as the packaging filter names it. */
function buildFiles(project: string): string[] {
  const base = path.join(project, 'node_modules/better-sqlite3');
  const walk = (rel: string): string[] =>
    readdirSync(path.join(base, rel), { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(path.posix.join(rel, d.name)) : [path.posix.join(rel, d.name)],
    );
  return walk('build').map((f) => `node_modules/better-sqlite3/${f}`);
}

describe('scripts/native-abi.mjs', () => {
  it('asks for an Electron build of better-sqlite3 only: node-hid is never rebuilt', () => {
    const project = scratchProject();
    const r = runScript(project, 'electron');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const options = JSON.parse(readFileSync(path.join(project, 'rebuild-options.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(options).toMatchObject({
      buildPath: project,
      electronVersion: realElectronVersion(),
      onlyModules: ['better-sqlite3'],
    });
    expect(
      readFileSync(path.join(project, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8'),
    ).toBe(ELECTRON_BINARY_TEXT);
  });

  it('leaves a build folder `npm test` accepts after `npm start`, and better-sqlite3 loads under Node again', () => {
    const project = scratchProject();
    expect(runScript(project, 'electron').code).toBe(0);
    // What `npm start` leaves (also with the earlier script): the Electron build in place and the
    // rebuild's marker files beside it.
    const release = path.join(project, 'node_modules/better-sqlite3/build/Release');
    writeFileSync(path.join(release, '.forge-meta'), 'x64--150');
    mkdirSync(path.join(project, 'node_modules/better-sqlite3/build/node_gyp_bins'), { recursive: true });
    writeFileSync(path.join(project, 'node_modules/better-sqlite3/build/node_gyp_bins/python3'), '');
    expect(loadsUnderNode(project)).toBe(false);

    const r = runScript(project, 'node');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(loadsUnderNode(project)).toBe(true);
    // The check of test/build/electron-builder-config.test.ts that failed after `npm start`.
    const files = (parse(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as { files: string[] }).files;
    expect(buildFiles(project).filter(nodeModulesFileFilter(files))).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    ]);
  });

  it('switches back to Electron from its cache, without a second rebuild', () => {
    const project = scratchProject();
    expect(runScript(project, 'electron').code).toBe(0);
    expect(runScript(project, 'node').code).toBe(0);
    const r = runScript(project, 'electron', { STAND_IN_FAILS: '1' });
    expect(r.code).toBe(0);
    expect(
      readFileSync(path.join(project, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), 'utf8'),
    ).toBe(ELECTRON_BINARY_TEXT);
    expect(existsSync(path.join(project, 'node_modules/better-sqlite3/build/Release/.forge-meta'))).toBe(false);
  });

  it('says in one line why no Electron build could be had, without a stack trace', () => {
    const project = scratchProject();
    const r = runScript(project, 'electron', { STAND_IN_FAILS: '1' });
    expect(r.code).toBe(1);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^better-sqlite3 could not be built for Electron [\d.]+ \(getaddrinfo ENOTFOUND electronjs\.org\)\. .*internet/,
    );
    expect(loadsUnderNode(project)).toBe(true);
  });
});
