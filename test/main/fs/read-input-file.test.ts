import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InputFileError,
  readRegularFile,
  readRegularFileSync,
  readRegularFileBytesSync,
} from '../../../src-main/fs/read-input-file';
import { useTempDir } from '../../support/temp-dir';

const tempDir = useTempDir('breakglass-read-input-');
const opts = { maxBytes: 100, what: 'test file' };

/** Runs both readers and returns what each threw (or undefined), so each case checks both. */
async function refusals(file: string, o = opts): Promise<InputFileError[]> {
  const out: InputFileError[] = [];
  for (const read of [async () => readRegularFileSync(file, o), () => readRegularFile(file, o)]) {
    const error = await read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputFileError);
    out.push(error as InputFileError);
  }
  return out;
}

describe('readRegularFileSync / readRegularFile', () => {
  it('reads a regular file and a symbolic link to one, dropping a byte-order mark', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.json');
    writeFileSync(file, '\uFEFF{"a":"é"}');
    symlinkSync(file, path.join(dir, 'link.json'));
    expect(readRegularFileSync(file, opts)).toBe('{"a":"é"}');
    expect(await readRegularFile(path.join(dir, 'link.json'), opts)).toBe('{"a":"é"}');
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = path.join(tempDir(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const e of await refusals(fifo)) {
      expect(e.reason).toBe('not-regular');
      expect(e.message).toBe(
        `${fifo}: the test file is a named pipe (FIFO), not a regular file; save the content to a file and pass that file's path`,
      );
    }
  });

  it('refuses /dev/zero (endless) and /dev/null (a device, though empty)', async () => {
    for (const dev of ['/dev/zero', '/dev/null']) {
      for (const e of await refusals(dev)) expect(e.message).toContain('is a character device, not a regular file');
    }
  });

  it('refuses a directory and a socket', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub'));
    for (const e of await refusals(path.join(dir, 'sub')))
      expect(e.message).toContain('is a directory, not a regular file');
    const sock = path.join(dir, 's.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      for (const e of await refusals(sock)) expect(e.message).toContain('is a socket, not a regular file');
    } finally {
      server.close();
    }
  });

  it('refuses a file over the cap and accepts one exactly at it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'at'), 'x'.repeat(100));
    writeFileSync(path.join(dir, 'over'), 'x'.repeat(101));
    expect(readRegularFileBytesSync(path.join(dir, 'at'), opts)).toHaveLength(100);
    expect(await readRegularFile(path.join(dir, 'at'), opts)).toHaveLength(100);
    for (const e of await refusals(path.join(dir, 'over'))) {
      expect(e.reason).toBe('too-large');
      expect(e.message).toContain('is 101 bytes, over the 100-byte limit for a test file');
    }
  });

  it('names a missing file and invalid UTF-8 (no lone surrogate or U+FFFD ever reaches the journal)', async () => {
    const dir = tempDir();
    for (const e of await refusals(path.join(dir, 'nope')))
      expect(e.message).toBe(`${path.join(dir, 'nope')}: cannot read the test file: no such file; check the path`);
    // 0xED 0xA0 0x80 is CESU-8 for a lone surrogate U+D800: not UTF-8.
    writeFileSync(path.join(dir, 'bad'), Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d]));
    for (const e of await refusals(path.join(dir, 'bad'))) expect(e.reason).toBe('not-utf8');
  });

  it('prints a file name with control characters as escapes, on one line', async () => {
    const dir = tempDir();
    const evil = path.join(dir, 'a\u001b[2Jb\nc');
    for (const e of await refusals(evil)) {
      expect([...e.message].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
      expect(e.message).toContain('a\\u001b[2Jb\\u000ac');
    }
  });
});
