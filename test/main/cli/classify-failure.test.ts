import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src-main/cli/classify-failure';
import { JournalFolderWriteError } from '../../../src-main/db/database-open-error';
import { FileWriteError } from '../../../src-main/fs/durable-write';
import { EXIT_BUSY, EXIT_STORAGE, EXIT_USAGE } from '../../../src-main/cli/command';
import { cli } from '../../support/run-cli';
import { useTempDir } from '../../support/temp-dir';

const tempDir = useTempDir('breakglass-classify-');

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('one line and a documented exit code per failure', () => {
  it('a full disk (SQLite SQLITE_FULL) is storage, exit 5, and says nothing was lost', () => {
    const db = new Database(path.join(tempDir(), 'full.sqlite3'));
    db.exec('CREATE TABLE t (b BLOB)');
    // The database may not grow past the pages it has: exactly what a full disk looks like to SQLite.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const error = thrown(() => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(1 << 20)));
    db.close();
    const r = classifyFailure(error);
    expect(r.exitCode).toBe(EXIT_STORAGE);
    expect(r.message).toMatch(
      /^the disk holding the journal is full; nothing already recorded was lost; free some space and try again\. \(/,
    );
  });

  it('a journal locked by another process (SQLITE_BUSY) is exit 4', () => {
    const file = path.join(tempDir(), 'busy.sqlite3');
    const holder = new Database(file);
    holder.exec('CREATE TABLE t (x)');
    holder.exec('BEGIN EXCLUSIVE');
    const other = new Database(file, { timeout: 0 });
    const error = thrown(() => other.exec('INSERT INTO t VALUES (1)'));
    holder.exec('ROLLBACK');
    holder.close();
    other.close();
    const r = classifyFailure(error);
    expect(r.exitCode).toBe(EXIT_BUSY);
    expect(r.message).toMatch(
      /^the journal is in use by another Breakglass process \(database busy\); nothing already recorded was lost; wait for it/,
    );
  });

  it('deeply nested JSON and an out-of-range date are bad input (exit 2), not a crash', () => {
    const deep = thrown(() => {
      const nest = (n: number): unknown => (n === 0 ? [] : [nest(n - 1)]);
      return nest(1e6);
    });
    expect(classifyFailure(deep)).toMatchObject({
      exitCode: EXIT_USAGE,
      message: expect.stringMatching(/^an input is nested too deeply to read/),
    });
    const date = thrown(() => new Date(8.64e15 + 1).toISOString());
    expect(classifyFailure(date)).toMatchObject({
      exitCode: EXIT_USAGE,
      message: expect.stringMatching(/^a date in the input is outside the range/),
    });
  });

  it('a journal folder that cannot be written: the CLI, not the journal, names its commands that only read', () => {
    // What openDatabase throws (src-main/db/open-database.ts): the app shows this message as it is.
    const journalFolder = new JournalFolderWriteError(
      '/data',
      'EROFS',
      "the journal's folder cannot be written: the file system is read-only (EROFS); nothing already recorded was lost",
    );
    expect(journalFolder.message).not.toMatch(/review|--no-seal|key list|audit-diff/);
    const cli = classifyFailure(journalFolder);
    expect(cli.exitCode).toBe(EXIT_STORAGE);
    expect(cli.message).toMatch(
      /^\/data: the journal's folder cannot be written: .*, or use a command that only reads \(review, export --no-seal, key list, key export-trust, audit-diff\)$/,
    );
    // Any other file that cannot be written says nothing about the journal's commands.
    const other = classifyFailure(new FileWriteError('/out/x.json', 'EROFS', 'cannot write: read-only'));
    expect(other.message).toBe('/out/x.json: cannot write: read-only');
  });

  it('a data directory path that is a file: exit 5 naming the cause', async () => {
    const file = path.join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await cli(['drill', '--data-dir', file, '--export', path.join(path.dirname(file), 'out')]);
    expect(r.code).toBe(EXIT_STORAGE);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      /^breakglass drill: a file is where a folder should be \((ENOTDIR|EEXIST)\); nothing already recorded was lost; check --data-dir: it must be a folder/,
    );
  });
});
