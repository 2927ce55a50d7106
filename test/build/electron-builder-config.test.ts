import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument } from 'yaml';
import {
  ROOT,
  REQUIRED_FUSES,
  asarProblems,
  filesProblems,
  fuseConfigKey,
  fuseProblems,
  installedFuseNames,
  nodeModulesFileFilter,
  schemaProblems,
  targetProblems,
} from './packaging-rules';

const CONFIG_FILE = path.join(ROOT, 'electron-builder.yml');
const document = parseDocument(readFileSync(CONFIG_FILE, 'utf8'));
const config = document.toJS() as Record<string, unknown>;

/** Every file under `dir` (relative to the project root), skipping node_modules. */
function walk(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((d) => {
    const rel = path.posix.join(dir, d.name);
    if (d.name === 'node_modules') return [];
    return d.isDirectory() ? walk(rel) : [rel];
  });
}

/** The comment above each key of electronFuses (yaml puts the first one on the map itself). */
function fuseComments(): Map<string, string> {
  const node = document.get('electronFuses', true);
  const comments = new Map<string, string>();
  if (!isMap(node)) return comments;
  node.items.forEach((pair, i) => {
    if (!isScalar(pair.key)) return;
    const before = pair.key.commentBefore ?? (i === 0 ? node.commentBefore : undefined) ?? '';
    comments.set(String(pair.key.value), before);
  });
  return comments;
}

const nativeBinaries = [...walk('node_modules/better-sqlite3'), ...walk('node_modules/node-hid')].filter((f) =>
  f.endsWith('.node'),
);
function walkIncludingModules(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((d) => {
    const rel = path.posix.join(dir, d.name);
    return d.isDirectory() ? walkIncludingModules(rel) : [rel];
  });
}

const PACKAGED_RUNTIME = [
  'dist/main.cjs',
  'dist/preload.cjs',
  'dist/cli.cjs',
  'dist/renderer/index.html',
  'dist/renderer/main.js',
  'dist/renderer/styles.css',
  'package.json',
];
const NEVER_PACKAGED = [
  ...['test', 'bench', 'src-main', 'src-shared', 'src-renderer', 'scripts', 'docs', '.ci', 'assets', 'bin'].flatMap(
    walk,
  ),
  'dist/main.cjs.map',
  'dist/preload.cjs.map',
  'dist/renderer/main.js.map',
  'dist/renderer/main.ts',
  'tsconfig.json',
  'tsconfig.base.json',
  'vitest.config.ts',
  'eslint.config.js',
  'README.md',
  '.env',
  'journal.sqlite3',
  'out/tsc/src-main/app.js',
  'release/linux-unpacked/resources/app.asar',
];

describe('electron-builder.yml', () => {
  it('passes app-builder-lib’s own schema validation (the first thing `electron-builder` does)', async () => {
    expect(await schemaProblems(config)).toEqual([]);
  });

  it('names the app and puts installers in release/', () => {
    expect(config).toMatchObject({
      appId: 'com.breakglass.app',
      productName: 'Breakglass',
      directories: { output: 'release', buildResources: 'assets' },
    });
    expect(config.publish).toBeNull();
    // No URL scheme or file type is registered with the OS: nothing outside can launch the app with input.
    expect(config).not.toHaveProperty('protocols');
    expect(config).not.toHaveProperty('fileAssociations');
  });

  it('builds AppImage + deb, dmg and nsis', () => {
    expect(targetProblems(config)).toEqual([]);
  });

  it('sets every fuse @electron/fuses knows, to the hardened value, each with a one-line reason', () => {
    const names = installedFuseNames();
    expect(names.length).toBeGreaterThanOrEqual(Object.keys(REQUIRED_FUSES).length);
    expect(fuseProblems(config.electronFuses, names, fuseComments())).toEqual([]);
    // Nothing else hides in electronFuses (the schema would refuse unknown keys; say so here too).
    expect(Object.keys(config.electronFuses as object).sort()).toEqual(names.map(fuseConfigKey).sort());
  });

  it('unpacks every native binary of better-sqlite3 and node-hid from the asar', () => {
    expect(nativeBinaries.length).toBeGreaterThan(1);
    expect(asarProblems(config, nativeBinaries)).toEqual([]);
  });

  it('packages only the bundled app: no tests, benches, sources, source maps or stray data', () => {
    expect(NEVER_PACKAGED.filter((f) => f.startsWith('test/')).length).toBeGreaterThan(0);
    expect(filesProblems(config.files, { mustInclude: PACKAGED_RUNTIME, mustExclude: NEVER_PACKAGED })).toEqual([]);
  });

  it('keeps source maps and TypeScript out of node_modules, and only the binary of better-sqlite3', () => {
    const keep = nodeModulesFileFilter(config.files as string[]);
    expect(keep('node_modules/mongodb/lib/index.js')).toBe(true);
    expect(keep('node_modules/better-sqlite3/lib/database.js')).toBe(true);
    expect(keep('node_modules/mongodb/lib/index.js.map')).toBe(false);
    expect(keep('node_modules/node-hid/prebuilds/HID-darwin-arm64/node-napi-v4.node')).toBe(true);
    expect(keep('node_modules/some-lib/src/index.ts')).toBe(false);
    const sqliteFiles = walkIncludingModules('node_modules/better-sqlite3').filter((f) =>
      /\/(build|deps|src)\//.test(f),
    );
    expect(sqliteFiles.length).toBeGreaterThan(1);
    expect(sqliteFiles.filter(keep)).toEqual(['node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
  });

  it('has the icons every target needs', () => {
    const res = (p: string) => path.join(ROOT, 'assets', p);
    const mac = (config.mac as { icon: string }).icon;
    const win = (config.win as { icon: string }).icon;
    const linux = (config.linux as { icon: string }).icon;
    expect(readFileSync(res(mac)).subarray(0, 4).toString('latin1')).toBe('icns');
    const ico = readFileSync(res(win));
    expect(ico.readUInt16LE(2)).toBe(1);
    // Entry width 0 means 256 px, the size electron-builder requires for Windows.
    const widths = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16]);
    expect(widths).toContain(0);
    const pngs = readdirSync(res(linux)).filter((f) => /^\d+x\d+\.png$/.test(f));
    expect(pngs).toEqual(
      expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '128x128.png', '256x256.png', '512x512.png']),
    );
    for (const f of pngs) {
      const png = readFileSync(path.join(res(linux), f));
      const size = Number(f.split('x')[0]);
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    expect(statSync(res('icon.png')).size).toBeGreaterThan(0);
  });
});

describe('the packaging rules fail on a weakened configuration', () => {
  const names = installedFuseNames();
  const fuses = config.electronFuses as Record<string, boolean>;

  it('a fuse turned back on, removed, or left without a reason', () => {
    expect(fuseProblems({ ...fuses, runAsNode: true }, names)).toEqual([
      'electronFuses.runAsNode is true, must be false',
    ]);
    const { onlyLoadAppFromAsar: _dropped, ...missing } = fuses;
    expect(fuseProblems(missing, names)).toEqual(['electronFuses.onlyLoadAppFromAsar is missing (must be true)']);
    expect(fuseProblems(undefined, names)).toEqual(['electronFuses is missing: no fuse would be flipped']);
    const comments = fuseComments();
    comments.set('enableCookieEncryption', '  ');
    expect(fuseProblems(fuses, names, comments)).toEqual([
      'electronFuses.enableCookieEncryption has no one-line reason (a comment above it)',
    ]);
  });

  it('a fuse a future Electron adds fails until someone decides its value', () => {
    expect(fuseProblems(fuses, [...names, 'WasmTrapHandlers'])).toEqual([
      expect.stringContaining('fuse WasmTrapHandlers (wasmTrapHandlers) is new'),
    ]);
  });

  it('the schema refuses a fuse key electron-builder does not know', async () => {
    const problems = await schemaProblems({ ...config, electronFuses: { ...fuses, runAsNod: false } });
    expect(problems.join('\n')).toMatch(/electronFuses/);
  });

  it('native modules left inside the asar', () => {
    expect(asarProblems({ ...config, asarUnpack: ['**/better_sqlite3.node'] }, nativeBinaries).join('\n')).toMatch(
      /node-hid/,
    );
    expect(asarProblems({ ...config, asar: false }, nativeBinaries)[0]).toMatch(/asar is off/);
  });

  it('files that would let tests, sources or maps in', () => {
    expect(filesProblems(['**/*'], { mustInclude: PACKAGED_RUNTIME, mustExclude: NEVER_PACKAGED }).join('\n')).toMatch(
      /includes everything[\s\S]*test\//,
    );
    expect(
      filesProblems(['dist/**', 'package.json'], { mustInclude: PACKAGED_RUNTIME, mustExclude: NEVER_PACKAGED }),
    ).toContain('files lets dist/main.cjs.map into the package');
    expect(filesProblems(['!test/**'], { mustInclude: PACKAGED_RUNTIME, mustExclude: NEVER_PACKAGED })[0]).toMatch(
      /only exclusions/,
    );
    expect(filesProblems(['dist/main.cjs'], { mustInclude: PACKAGED_RUNTIME, mustExclude: [] })).toContain(
      'files leaves out dist/preload.cjs, which the app needs at run time',
    );
  });

  it('a missing target', () => {
    expect(targetProblems({ ...config, linux: { target: ['AppImage'] } })).toEqual(['linux.target lacks deb']);
    expect(targetProblems({ ...config, win: undefined })).toEqual(['win.target lacks nsis']);
  });
});
