// `npm start` on a machine where the Electron binary cannot be had (offline): one line saying
// so and what to do, exit 1, no stack trace, and nothing built. The scratch project holds a copy
// of the real electron package without its binary, and Electron's downloader is pointed at a
// port where nothing listens, so the first-start download fails here whatever the network.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_MODULES, copyScript, linkModule, realElectronVersion } from './scratch-project';
import { useTempDir } from '../support/temp-dir';

const tempDir = useTempDir('breakglass-start-');

function scratchProject(): string {
  const project = tempDir();
  copyScript(project, 'start.mjs');
  copyScript(project, 'electron-binary.mjs');
  cpSync(path.join(REAL_MODULES, 'electron'), path.join(project, 'node_modules/electron'), {
    recursive: true,
    filter: (src) => !/[\\/]electron[\\/](dist|path\.txt|node_modules)$/.test(src),
  });
  linkModule(project, '@electron/get');
  return project;
}

function npmStart(project: string, env: NodeJS.ProcessEnv) {
  const base = { ...process.env };
  delete base.ELECTRON_OVERRIDE_DIST_PATH;
  const r = spawnSync(process.execPath, [path.join(project, 'scripts/start.mjs')], {
    cwd: project,
    encoding: 'utf8',
    env: {
      ...base,
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
      electron_config_cache: path.join(project, 'cache'),
      ...env,
    },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm start without an Electron binary', () => {
  it('checks the binary first and says in one line that the first-start download failed and what to do', () => {
    const project = scratchProject();
    expect(existsSync(path.join(project, 'node_modules/electron/path.txt'))).toBe(false);
    const r = npmStart(project, {});
    expect(r.code).toBe(1);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^npm start: No Electron binary: Electron [\d.]+ downloads it on the first `npm start` and the download failed \(.+\)\. Connect to the internet and run `npm start` again; `npm test` and the CLI \(`npx breakglass`\) work without it\.$/,
      ),
    ]);
    expect(lines[0]).toContain(realElectronVersion());
    expect(`${r.out}${r.err}`).not.toMatch(/^\s+at /m);
    // It stopped before building anything.
    expect(existsSync(path.join(project, 'dist'))).toBe(false);
  });

  it('names a wrong ELECTRON_OVERRIDE_DIST_PATH instead of downloading', () => {
    const project = scratchProject();
    const r = npmStart(project, { ELECTRON_OVERRIDE_DIST_PATH: path.join(project, 'no-electron-here') });
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^npm start: ELECTRON_OVERRIDE_DIST_PATH \(.*no-electron-here\) holds no Electron executable/,
      ),
    ]);
    expect(r.out).not.toMatch(/downloading/);
  });
});
