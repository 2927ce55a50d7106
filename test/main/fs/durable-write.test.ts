import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError, writeFileDurably } from '../../../src-main/fs/durable-write';
import { useTempDir } from '../../support/temp-dir';

const tempDir = useTempDir('breakglass-durable-');

describe('writeFileDurably', () => {
  it('replaces the file and leaves no temporary file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'state.json');
    writeFileSync(file, 'old');
    writeFileDurably(file, 'new', { mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['state.json']);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("removes temp files a dead process or an earlier call left, and keeps a live process's", () => {
    const dir = tempDir();
    const file = path.join(dir, 'state.json');
    // pid 2^22+1 is above Linux's pid_max ceiling: no process can have it.
    const dead = path.join(dir, `state.json.tmp-${2 ** 22 + 1}`);
    const ours = path.join(dir, `state.json.tmp-${process.pid}-7`);
    const live = path.join(dir, `state.json.tmp-${process.ppid}-0`);
    const other = path.join(dir, 'other.json.tmp-1');
    for (const f of [dead, ours, live, other]) writeFileSync(f, '');
    writeFileDurably(file, 'x');
    expect(readdirSync(dir).sort()).toEqual(['other.json.tmp-1', 'state.json', path.basename(live)].sort());
  });

  it('fails in one line naming the cause and that nothing changed, leaving no temp file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'missing-folder', 'state.json');
    let error: unknown;
    try {
      writeFileDurably(file, 'x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as FileWriteError).code).toBe('ENOENT');
    expect((error as Error).message).toBe(
      `${file}: cannot write: the folder does not exist (ENOENT); the previous file is unchanged; create it or use another`,
    );
    expect(existsSync(path.dirname(file))).toBe(false);
  });
});
