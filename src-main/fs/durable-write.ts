import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { printable } from './printable';

/**
 * A file could not be written. The message is one terminal-safe line: which file, why, that the
 * previous version (if any) is untouched, and what to do.
 */
export class FileWriteError extends Error {
  constructor(
    readonly file: string,
    /** The errno code (ENOSPC, EROFS, EACCES, ...) or 'error'. */
    readonly code: string,
    detail: string,
  ) {
    super(`${printable(file)}: ${printable(detail)}`);
    this.name = 'FileWriteError';
  }
}

/** The cause of a failed write and what to do about it, for one line of error text. */
export function describeWriteFailure(code: string | undefined): { cause: string; todo: string } {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return { cause: 'the disk is full', todo: 'free some space and try again' };
    case 'EROFS':
      return { cause: 'the file system is read-only', todo: 'use a writable folder' };
    case 'EACCES':
    case 'EPERM':
      return { cause: 'permission denied', todo: 'use a folder this user may write' };
    case 'ENOENT':
    case 'ENOTDIR':
      return { cause: 'the folder does not exist', todo: 'create it or use another' };
    case 'EIO':
      return { cause: 'the disk reported an I/O error', todo: 'check the disk and try again' };
    default:
      return { cause: code ?? 'unknown error', todo: 'check the disk and the folder, then try again' };
  }
}

const TEMP_MARK = '.tmp-';

/** `target.tmp-<pid>` or `target.tmp-<pid>-<n>`: the pid of the process that wrote it. */
function tempOwner(name: string, base: string): number | undefined {
  if (!name.startsWith(base + TEMP_MARK)) return undefined;
  const match = /^(\d+)(?:-\d+)?$/.exec(name.slice(base.length + TEMP_MARK.length));
  return match ? Number(match[1]) : undefined;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files a crash or power cut left beside `target`: ours (this call is
 * synchronous, so none of ours is in flight) and those of processes no longer running. Another
 * live process's temp file is its write in progress and is left alone.
 */
function removeStaleTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = tempOwner(name, base);
    if (pid === undefined || (pid !== process.pid && processIsAlive(pid))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Gone already, or not ours to remove: either way it does not stop this write.
    }
  }
}

let sequence = 0;

/**
 * fsync of a directory makes a rename or a new file in it durable. POSIX only: Windows cannot open
 * a directory for fsync, and NTFS journals file creation itself.
 */
export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` with `data` so that after a crash or power cut it holds either the old or the
 * new content, never an empty or partial file: temp file in the same folder, fsync it, rename it
 * over the target, fsync the folder. Stale temp files of the same target are removed first.
 * Throws FileWriteError; on failure the previous file is untouched and the temp file removed.
 */
export function writeFileDurably(file: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  const dir = dirname(file);
  const base = basename(file);
  removeStaleTemps(dir, base);
  const temp = join(dir, `${base}${TEMP_MARK}${process.pid}-${sequence++}`);
  let fd: number | undefined;
  let renamed = false;
  try {
    fd = openSync(temp, 'wx', options.mode ?? 0o666);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
    renamed = true;
    fsyncDirectory(dir);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    if (!renamed) {
      try {
        unlinkSync(temp);
      } catch {
        // Never created, or already gone.
      }
    }
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const { cause, todo } = describeWriteFailure(code);
    const state = renamed
      ? 'the new content is in place but may not survive a power cut'
      : 'the previous file is unchanged';
    throw new FileWriteError(file, code, `cannot write: ${cause} (${code}); ${state}; ${todo}`);
  }
}
