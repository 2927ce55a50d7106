import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../src-shared/ipc/channels';
import { useTempDir } from '../support/temp-dir';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist/main.cjs');

/**
 * The real bundled entry point (what `npm start` and the installers run), started under Node
 * with a recording stand-in for Electron: no Electron binary can run on this machine, and this
 * still proves the app wires itself up securely and completely at start-up.
 */
describe('the app entry point (dist/main.cjs) starts', () => {
  const tempDir = useTempDir();

  it('sandboxed, single-instance, guarded, every IPC channel registered, one hardened window on app://', () => {
    expect(existsSync(MAIN), 'run `npm run build` first').toBe(true);
    const dataDir = tempDir();
    const out = execFileSync(
      process.execPath,
      ['-r', path.join(__dirname, 'app-fixtures/fake-electron.cjs'), MAIN, '--data-dir', dataDir, '--drill'],
      {
        cwd: ROOT,
        env: { ...process.env, FAKE_USER_DATA: dataDir, ELECTRON_RUN_AS_NODE: '' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    const line = out.split('\n').find((l) => l.startsWith('@@CALLS '));
    expect(line, out).toBeDefined();
    const calls = JSON.parse(line!.slice('@@CALLS '.length));
    expect(calls.sandbox).toBe(true);
    expect(calls.singleInstance).toBe(true);
    expect(calls.schemes).toEqual(['app']);
    expect(calls.protocols).toEqual(['app']);
    expect(calls.permissionHandlers.sort()).toEqual(['check', 'device', 'request']);
    expect(calls.webRequestGuard).toBe(true);
    expect(calls.listeners).toContain('app:web-contents-created');
    expect([...calls.ipc].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(calls.windows).toHaveLength(1);
    expect(calls.windows[0].url).toBe('app://breakglass/index.html');
    expect(calls.windows[0].webPreferences).toMatchObject({
      preload: 'preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    // The journal was opened in the data directory given on the command line.
    expect(existsSync(path.join(dataDir, 'journal.sqlite3'))).toBe(true);
  });

  it.each([
    [
      'a file that is not SQLite',
      (file: string) => writeFileSync(file, 'these are not the droids you are looking for\n'),
      (file: string) => `${file} is not a Breakglass journal (not an SQLite database). Nothing was changed.`,
    ],
    [
      'an empty (0-byte) journal file',
      (file: string) => writeFileSync(file, ''),
      (file: string) =>
        `${file} is empty: the journal may have been truncated; restore it from a backup, or delete it if this is a new installation. Nothing was changed.`,
    ],
    [
      "another program's SQLite database",
      (file: string) => {
        const db = new Database(file);
        db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('buy milk')");
        db.close();
      },
      (file: string) =>
        `${file} is a SQLite database but not a Breakglass journal (it holds tables Breakglass did not create); nothing was changed.`,
    ],
  ])(
    '%s is shown in an error box (no window, no stack trace) and the app exits 1 leaving the directory untouched',
    (_what, make, message) => {
      const dataDir = tempDir();
      const file = path.join(dataDir, 'journal.sqlite3');
      make(file);
      const before = Object.fromEntries(
        readdirSync(dataDir).map((f) => [f, readFileSync(path.join(dataDir, f)).toString('base64')]),
      );
      const run = spawnSync(
        process.execPath,
        ['-r', path.join(__dirname, 'app-fixtures/fake-electron.cjs'), MAIN, '--data-dir', dataDir, '--drill'],
        {
          cwd: ROOT,
          env: { ...process.env, FAKE_USER_DATA: dataDir, ELECTRON_RUN_AS_NODE: '' },
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(run.status, run.stdout + run.stderr).toBe(1);
      const calls = JSON.parse(
        run.stdout
          .split('\n')
          .find((l) => l.startsWith('@@CALLS '))!
          .slice('@@CALLS '.length),
      );
      expect(calls.errorBoxes).toEqual([{ title: 'Breakglass cannot start', content: message(file) }]);
      expect(calls.windows).toHaveLength(0);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(
        Object.fromEntries(
          readdirSync(dataDir).map((f) => [f, readFileSync(path.join(dataDir, f)).toString('base64')]),
        ),
      ).toEqual(before);
    },
  );
});
