import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/db/open-database';
import { LATEST_SCHEMA_VERSION } from '../../../src-main/db/migrations/index';
import { cli } from '../../support/run-cli';
import { useTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/breakglass.cjs');
const CLOUDTRAIL = path.join(ROOT, 'test/fixtures/cloudtrail/root-session-page1.json');
/** Nothing listens there: a command that got as far as the network would fail differently (exit 1). */
const UNREACHABLE = 'mongodb://127.0.0.1:1/';

/** Everything in a directory, byte for byte. */
const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(path.join(dir, f)).toString('base64')]),
  );

/**
 * Every command that opens the journal in --data-dir, with the least else it needs to get that
 * far. `out` is a directory the command would write to if it went on; it must not appear.
 */
const COMMANDS: Array<[string, (dataDir: string, out: string, bundle: string) => string[]]> = [
  ['export', (d, out) => ['export', '--data-dir', d, '--ceremony', 'bg-20260520-drill-0001', '--out', out]],
  // Opens the journal read-only (so do review, key list and audit-diff): the refusal is the same.
  [
    'export --no-seal',
    (d, out) => ['export', '--no-seal', '--data-dir', d, '--ceremony', 'bg-20260520-drill-0001', '--out', out],
  ],
  ['drill', (d, out) => ['drill', '--data-dir', d, '--export', out]],
  ['review', (d) => ['review', '--data-dir', d, '--from', '2026-01-01', '--to', '2026-12-31']],
  ['key', (d) => ['key', 'list', '--data-dir', d]],
  ['sync', (d) => ['sync', '--data-dir', d, '--uri', UNREACHABLE, '--timeout-ms', '500']],
  ['audit-diff', (d) => ['audit-diff', '--data-dir', d, '--uri', UNREACHABLE, '--timeout-ms', '500']],
  [
    'reconcile',
    (d, _out, bundle) => ['reconcile', '--bundle', bundle, '--cloudtrail', CLOUDTRAIL, '--attach', '--data-dir', d],
  ],
];

interface BadJournal {
  what: string;
  /** Writes the bad file at `file`. */
  make: (file: string) => void;
  /** The one line every command prints (after "breakglass <command>: "). */
  message: (file: string) => string | RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('every command that opens the journal refuses a bad journal file the same way: exit 2, one clear line, nothing changed', () => {
  let fixtureDir = '';
  let journal: Buffer = Buffer.alloc(0);
  let pageSize = 0;
  let bundle = '';

  beforeAll(async () => {
    // A real journal: one drill, its bundle for `reconcile --attach`.
    fixtureDir = mkdtempSync(path.join(os.tmpdir(), 'breakglass-refusals-'));
    const dataDir = path.join(fixtureDir, 'data');
    const drill = await cli([
      'drill',
      '--data-dir',
      dataDir,
      '--export',
      path.join(fixtureDir, 'out'),
      '--start-time',
      '2026-05-20T13:00:00Z',
    ]);
    expect(drill.code, drill.err).toBe(0);
    bundle = drill.lastLine;
    journal = readFileSync(path.join(dataDir, DATABASE_FILE));
    pageSize = journal.readUInt16BE(16);
    expect(pageSize).toBe(4096);
    expect(journal.length % pageSize).toBe(0);
    expect(journal.length / pageSize).toBeGreaterThanOrEqual(6);
  });
  afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

  const cutShort = (n: number) => (file: string) =>
    `The journal at ${file} is damaged: ${n} bytes is not a whole number of 4096-byte pages, so it was cut short. Restore it from a copy; nothing was changed.`;
  const malformed = (file: string) =>
    new RegExp(
      `^The journal at ${escape(file)} is damaged or not a Breakglass journal \\(.+\\)\\. Nothing was changed\\.$`,
    );
  const future = () =>
    `This journal was written by a newer version of Breakglass (schema 999; this app knows up to ${LATEST_SCHEMA_VERSION}). Open it with that version or newer; nothing was changed.`;
  const foreign = (file: string) =>
    `${file} is a SQLite database but not a Breakglass journal (it holds tables Breakglass did not create); nothing was changed.`;

  const BAD: BadJournal[] = [
    { what: 'cut to 50 bytes', make: (f) => writeFileSync(f, journal.subarray(0, 50)), message: cutShort(50) },
    { what: 'cut to 100 bytes', make: (f) => writeFileSync(f, journal.subarray(0, 100)), message: cutShort(100) },
    { what: 'cut to 5000 bytes', make: (f) => writeFileSync(f, journal.subarray(0, 5000)), message: cutShort(5000) },
    {
      what: 'cut at a page boundary (half its pages)',
      make: (f) => writeFileSync(f, journal.subarray(0, pageSize * Math.floor(journal.length / pageSize / 2))),
      message: malformed,
    },
    {
      what: 'missing its last page',
      make: (f) => writeFileSync(f, journal.subarray(0, journal.length - pageSize)),
      message: malformed,
    },
    {
      what: 'a journal written by a newer version (user_version 999)',
      make: (f) => {
        writeFileSync(f, journal);
        const db = new Database(f);
        db.pragma('user_version = 999');
        db.close();
      },
      message: future,
    },
    {
      what: "a newer version's database in rollback-journal mode (user_version 999)",
      make: (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE entries_v999 (x)');
        db.pragma('user_version = 999');
        db.close();
      },
      message: future,
    },
    {
      what: "another program's SQLite database",
      make: (f) => {
        const db = new Database(f);
        db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('buy milk')");
        db.close();
      },
      message: foreign,
    },
    {
      what: "another program's SQLite database with its own user_version",
      make: (f) => {
        const db = new Database(f);
        db.pragma('journal_mode = WAL');
        db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('buy milk')");
        db.pragma('user_version = 1');
        db.close();
      },
      message: (file) =>
        `${file} is a SQLite database but not a Breakglass journal (schema version 1 was never written by Breakglass); nothing was changed.`,
    },
    {
      what: 'an empty 0-byte file',
      make: (f) => writeFileSync(f, ''),
      message: (file) =>
        `${file} is empty: the journal may have been truncated; restore it from a backup, or delete it if this is a new installation. Nothing was changed.`,
    },
    {
      what: 'not SQLite at all',
      make: (f) => writeFileSync(f, 'these are my notes, not a database\n'),
      message: (file) => `${file} is not a Breakglass journal (not an SQLite database). Nothing was changed.`,
    },
  ];

  const tempDir = useTempDir();

  describe.each(BAD.map((b) => [b.what, b] as const))('%s', (_what, bad) => {
    it.each(COMMANDS)('%s', async (name, args) => {
      const dir = tempDir();
      const dataDir = path.join(dir, 'data');
      const out = path.join(dir, 'out');
      mkdirSync(dataDir);
      const file = path.join(dataDir, DATABASE_FILE);
      bad.make(file);
      const before = snapshot(dataDir);

      const argv = args(dataDir, out, bundle);
      const r = await cli(argv);

      expect(r.code, `${name}: ${r.err}`).toBe(2);
      const prefix = `breakglass ${argv[0]}: `;
      expect(r.err.startsWith(prefix), r.err).toBe(true);
      const message = bad.message(file);
      if (typeof message === 'string') expect(r.err.slice(prefix.length)).toBe(message);
      else expect(r.err.slice(prefix.length)).toMatch(message);
      expect(r.err).not.toContain('\n');
      expect(r.err).not.toMatch(/unexpected error|\bat .+:\d+:\d+/);
      // The file, and everything beside it, byte for byte as it was; nothing written elsewhere.
      expect(snapshot(dataDir)).toEqual(before);
      expect(existsSync(out)).toBe(false);
    });
  });

  it('the installed CLI (dist/cli.cjs) exits 2 with the same one line and no stack trace', () => {
    expect(existsSync(path.join(ROOT, 'dist/cli.cjs')), 'run `npm run build` first').toBe(true);
    for (const bad of BAD.filter((b) => /0-byte|another program's SQLite database$|page boundary/.test(b.what))) {
      for (const [name, args] of COMMANDS.filter(
        ([n]) => n === 'drill' || n === 'key' || n === 'sync' || n === 'review',
      )) {
        const dir = tempDir();
        const dataDir = path.join(dir, 'data');
        mkdirSync(dataDir);
        const file = path.join(dataDir, DATABASE_FILE);
        bad.make(file);
        const before = snapshot(dataDir);
        const run = spawnSync(process.execPath, [BIN, ...args(dataDir, path.join(dir, 'out'), bundle)], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 30_000,
        });
        expect(run.status, `${bad.what} / ${name}: ${run.stderr}`).toBe(2);
        const lines = run.stderr.trimEnd().split('\n');
        expect(lines, run.stderr).toHaveLength(1);
        const message = bad.message(file);
        expect(lines[0]!.slice(`breakglass ${name}: `.length)).toMatch(
          typeof message === 'string' ? new RegExp(`^${escape(message)}$`) : message,
        );
        expect(snapshot(dataDir)).toEqual(before);
      }
    }
  });
});
