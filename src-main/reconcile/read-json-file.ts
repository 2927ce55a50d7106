import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ReconcileInputError } from './input-error';

export interface JsonFile {
  file: string;
  /** hex SHA-256 of the bytes read, so the report says exactly which evidence it used. */
  sha256: string;
  json: unknown;
}

/** The largest reconcile input read: past V8's string limit a file cannot be parsed anyway. */
export const MAX_RECONCILE_INPUT_BYTES = 512 * 1024 * 1024;

/**
 * The one place reconcile reads a file. Issue 14 adds `readRegularFileBytesSync(path,
 * { maxBytes, what })` in src-main/fs/read-input-file.ts; when it is on main, this body becomes
 * that call (its InputFileError message is already one terminal-safe line: rethrow it as
 * ReconcileInputError(file, reason)). Until then: regular files only, size-capped.
 */
export function readInputBytes(file: string, what: string, maxBytes = MAX_RECONCILE_INPUT_BYTES): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'ENOTREG' });
    if (st.size > maxBytes) throw Object.assign(new Error('too large'), { code: 'ETOOBIG' });
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, null);
      if (got === 0) break;
      n += got;
    }
    return n === st.size ? buf : buf.subarray(0, n);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file'
      : code === 'EISDIR' ? 'is a directory, not a file'
      : code === 'ENOTREG' ? 'is not a regular file'
      : code === 'EACCES' ? 'permission denied'
      : code === 'ETOOBIG' ? `is larger than ${maxBytes / 1024 / 1024} MiB; split it (one file per lookup-events page or per log file)`
      : (error as Error).message;
    throw new ReconcileInputError(file, `cannot read ${what}: ${why}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and parses one JSON input file; every failure names the file, never quotes its bytes. */
export function readJsonFile(file: string, what: string): JsonFile {
  const bytes = readInputBytes(file, what);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim().length === 0) throw new ReconcileInputError(file, `${what} is empty`);
  try {
    return { file, sha256: createHash('sha256').update(bytes).digest('hex'), json: JSON.parse(text) as unknown };
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? '; it is gzip-compressed: gunzip it first' : '';
    throw new ReconcileInputError(file, `${what} is not valid JSON (syntax error${at ? ` at character ${at[1]}` : ''})${gz}`);
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
