import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/db/open-database';
import { openJournal } from '../../../src-main/journal/journal';
import { cli } from '../../support/run-cli';
import { useTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.cjs');
/** Nothing listens there: audit-diff opens the journal, then fails at the server (exit 1). */
const UNREACHABLE = 'mongodb://127.0.0.1:1/';

type Argv = (dataDir: string, out: string, ceremony: string) => string[];

/** The commands that only read the journal, and the exit code each gives on the drill's journal. */
const READING: Array<[string, Argv, number]> = [
  ['review', (d) => ['review', '--data-dir', d, '--from', '2026-01-01', '--to', '2026-12-31'], 1],
  ['export --no-seal', (d, out, id) => ['export', '--no-seal', '--data-dir', d, '--ceremony', id, '--out', out], 0],
  ['key list', (d) => ['key', 'list', '--data-dir', d], 0],
  [
    'key export-trust',
    (d, out) => ['key', 'export-trust', '--drill', '--data-dir', d, '--out', path.join(out, 'trust.json')],
    0,
  ],
  ['audit-diff', (d) => ['audit-diff', '--data-dir', d, '--uri', UNREACHABLE, '--timeout-ms', '500'], 1],
];

/** Commands that write the journal: on a read-only one each says so in one line, exit 74. */
const WRITING: Array<[string, Argv]> = [
  ['export (sealing)', (d, out, id) => ['export', '--data-dir', d, '--ceremony', id, '--out', out]],
  ['drill', (d, out) => ['drill', '--data-dir', d, '--export', out]],
  ['key enrol', (d) => ['key', 'enrol', '--drill', '--label', 'backup', '--data-dir', d]],
  ['sync', (d) => ['sync', '--data-dir', d, '--uri', UNREACHABLE, '--timeout-ms', '500']],
];

/**
 * The folder as a reader must leave it: every name, every file's bytes and mtime, and the
 * folder's own mtime (a -wal or -shm created and removed again moves it).
 */
function fingerprint(dir: string): Record<string, string> {
  const result: Record<string, string> = { '.': `folder mtime ${statSync(dir, { bigint: true }).mtimeNs}` };
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const st = statSync(file, { bigint: true });
    result[name] =
      `mtime ${st.mtimeNs} sha256 ${st.isFile() ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'folder'}`;
  }
  return result;
}

const MOUNT_READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@"';

/**
 * How a folder is made read-only for real here: a read-only bind mount in a private mount
 * namespace (root, as in CI), or, for an ordinary user, modes 0555/0444. Decided before the tests
 * are collected, so that where neither works they show as skipped, with the reason printed.
 */
function readOnlyMode(): 'mount' | 'modes' | { skip: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'breakglass-ro-probe-'));
  try {
    const probe = spawnSync(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        MOUNT_READ_ONLY,
        'sh',
        dir,
        'sh',
        '-c',
        'touch "$1/probe" 2>/dev/null && exit 9 || exit 0',
        'sh',
        dir,
      ],
      { encoding: 'utf8' },
    );
    if (probe.status === 0) return 'mount';
    if (process.getuid?.() !== 0) return 'modes';
    return {
      skip: `running as root without a mount namespace (unshare -m: ${(probe.stderr || `exit ${probe.status}`).trim()}), so no folder can be made read-only`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const READ_ONLY = readOnlyMode();
if (typeof READ_ONLY === 'object') console.warn(`read-only data directory tests skipped: ${READ_ONLY.skip}`);

/** Runs the built CLI with `dir` read-only, the way READ_ONLY says. */
function runReadOnly(dir: string, argv: string[]): { code: number | null; out: string; err: string } {
  const r =
    READ_ONLY === 'mount'
      ? spawnSync('unshare', ['-m', 'sh', '-c', MOUNT_READ_ONLY, 'sh', dir, process.execPath, CLI, ...argv], {
          encoding: 'utf8',
          timeout: 60_000,
        })
      : spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('commands that only read open the journal read-only', () => {
  let fixture = '';
  let dataDir = '';
  let ceremony = '';
  const tempDir = useTempDir('breakglass-read-only-');

  beforeAll(async () => {
    fixture = mkdtempSync(path.join(os.tmpdir(), 'breakglass-read-only-fixture-'));
    dataDir = path.join(fixture, 'data');
    const drill = await cli([
      'drill',
      '--data-dir',
      dataDir,
      '--export',
      path.join(fixture, 'drill-out'),
      '--start-time',
      '2026-05-20T13:00:00Z',
    ]);
    expect(drill.code, drill.err).toBe(0);
    ceremony = path.basename(drill.lastLine, '.bundle.json');
  });
  afterAll(() => {
    rmSync(fixture, { recursive: true, force: true });
  });

  it.each(READING)(
    '%s changes nothing in the data directory: no file created, removed or written, not even for a moment',
    async (_name, argv, exit) => {
      const before = fingerprint(dataDir);
      const r = await cli(argv(dataDir, tempDir(), ceremony));
      expect(r.code, r.err).toBe(exit);
      expect(r.err).not.toMatch(/unexpected error/);
      expect(fingerprint(dataDir)).toEqual(before);
    },
  );

  it.each(READING)('%s does not create a data directory that is not there', async (name, argv) => {
    const missing = path.join(tempDir(), 'no-such-data');
    const r = await cli(argv(missing, tempDir(), ceremony));
    if (name === 'key list') {
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(
        `No key is enrolled yet (there is no journal at ${path.join(missing, DATABASE_FILE)}). Enrol a primary and a backup key: breakglass key enrol --label primary`,
      );
    } else {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/no journal at .*journal\.sqlite3/);
      expect(r.err).not.toContain('\n');
    }
    expect(existsSync(missing)).toBe(false);
  });

  describe.skipIf(typeof READ_ONLY === 'object')('on a read-only data directory', () => {
    let copy = '';
    beforeAll(() => {
      expect(existsSync(CLI), 'run `npm run build` first').toBe(true);
      copy = path.join(fixture, 'read-only');
      mkdirSync(copy);
      for (const f of readdirSync(dataDir)) spawnSync('cp', ['-p', path.join(dataDir, f), copy]);
      if (READ_ONLY === 'modes') {
        for (const f of readdirSync(copy)) chmodSync(path.join(copy, f), 0o444);
        chmodSync(copy, 0o555);
      }
    });
    afterAll(() => {
      if (existsSync(copy)) chmodSync(copy, 0o755);
    });

    it.each(READING)('%s works', (_name, argv, exit) => {
      const r = runReadOnly(copy, argv(copy, tempDir(), ceremony));
      expect(r.code, r.err).toBe(exit);
      expect(r.err).not.toMatch(/unexpected error|read-only|cannot be opened/);
    });

    it.each(WRITING)('%s says in one line that the folder is read-only, exit 74', (_name, argv) => {
      const r = runReadOnly(copy, argv(copy, tempDir(), ceremony));
      expect(r.code, r.err).toBe(74);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(
        /the journal's folder cannot be written: (the file system is read-only \(EROFS\)|permission denied \(EACCES\)); nothing already recorded was lost; .*review, export --no-seal, key list/,
      );
    });
  });

  describe('while another process holds the journal', () => {
    it('a reading command sees every committed entry (even those only in the -wal) and none of an open transaction', () => {
      const dir = path.join(tempDir(), 'data');
      spawnSync('cp', ['-rp', dataDir, dir]);
      // The app: the journal open read-write, a committed entry the -wal alone holds, and a
      // write transaction left open.
      const app = openJournal({ dataDir: dir });
      try {
        const count = app.entries(ceremony).length;
        app.append(ceremony, 'note', { text: 'committed while the app runs' });
        expect(existsSync(path.join(dir, `${DATABASE_FILE}-wal`))).toBe(true);
        app.db.prepare('BEGIN IMMEDIATE').run();
        app.append(ceremony, 'note', { text: 'not committed yet' });

        const r = spawnSync(
          process.execPath,
          [CLI, 'export', '--no-seal', '--data-dir', dir, '--ceremony', ceremony, '--out', tempDir()],
          { encoding: 'utf8', timeout: 60_000 },
        );
        expect(r.signal, 'the reader hung').toBeNull();
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toContain(`ceremony ${ceremony}: ${count + 1} entries`);
        const list = spawnSync(process.execPath, [CLI, 'key', 'list', '--data-dir', dir], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(list.status, list.stderr).toBe(0);
        // The app goes on writing: the reader held nothing.
        app.db.prepare('COMMIT').run();
        app.append(ceremony, 'note', { text: 'after the readers' });
      } finally {
        app.close();
      }
    });

    it('a reading command facing a writer that locks the journal exclusively says "busy" in one line, exit 75, and does not hang', () => {
      const dir = path.join(tempDir(), 'data');
      spawnSync('cp', ['-rp', dataDir, dir]);
      const writer = new Database(path.join(dir, DATABASE_FILE));
      try {
        writer.pragma('locking_mode = EXCLUSIVE');
        writer.prepare('BEGIN IMMEDIATE').run();
        writer.prepare("UPDATE sync_state SET last_error = 'held' WHERE id = 1").run();
        const r = spawnSync(
          process.execPath,
          [CLI, 'review', '--data-dir', dir, '--from', '2026-01-01', '--to', '2026-12-31'],
          { encoding: 'utf8', timeout: 60_000 },
        );
        expect(r.signal, 'the reader hung').toBeNull();
        expect(r.status, r.stderr).toBe(75);
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(
          /^breakglass review: the journal is in use by another Breakglass process \(database busy\); nothing already recorded was lost; wait for it to finish/,
        );
      } finally {
        writer.prepare('ROLLBACK').run();
        writer.close();
      }
    }, 60_000);
  });
});
