import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { printable } from './printable';

/*
 * The largest input the app and the CLI read, per kind of file (docs/files.md). A file over its
 * cap is refused in one line before it can exhaust memory: these files are parsed whole, and V8
 * strings stop at about 512 MiB anyway.
 */
const MiB = 1024 * 1024;
/** A bundle to verify or reconcile against: a year of ceremonies is a few MiB. */
export const MAX_BUNDLE_BYTES = 256 * MiB;
/** The configuration file (YAML or JSON): a few KiB in practice. */
export const MAX_CONFIG_BYTES = 1 * MiB;
/** A `--trusted-keys` file: a handful of public keys. */
export const MAX_TRUSTED_KEYS_BYTES = 1 * MiB;
/** One `aws cloudtrail lookup-events --output json` file. */
export const MAX_CLOUDTRAIL_BYTES = 256 * MiB;
/** A `terraform show -json` plan: large estates reach tens of MiB. */
export const MAX_TERRAFORM_PLAN_BYTES = 256 * MiB;
/** An `argocd app list -o json` file. */
export const MAX_ARGOCD_BYTES = 64 * MiB;
/** The virtual drill key's state file: two keys and a certificate, about 2 KiB. */
export const MAX_DRILL_STATE_BYTES = 64 * 1024;

export interface ReadInputOptions {
  /** Refuse the file when it holds more bytes than this (checked before and while reading). */
  maxBytes: number;
  /** What the file is for, as the user would say it: "configuration file", "CloudTrail file". */
  what: string;
}

/**
 * An input file that cannot be used. `message` is one terminal-safe line naming the file, the
 * cause and what to do; nothing was written anywhere.
 */
export class InputFileError extends Error {
  /** The message without the file name in front (terminal-safe), for callers that name the file themselves. */
  readonly detail: string;
  constructor(
    readonly file: string,
    /** Short machine-readable cause: 'missing', 'not-regular', 'too-large', 'not-utf8', 'changed', 'unreadable'. */
    readonly reason: 'missing' | 'not-regular' | 'too-large' | 'not-utf8' | 'changed' | 'unreadable',
    detail: string,
  ) {
    super(`${printable(file)}: ${printable(detail)}`);
    this.detail = printable(detail);
    this.name = 'InputFileError';
  }
}

// O_NONBLOCK: should a FIFO be swapped in between the stat and the open, opening it for reading
// returns at once instead of waiting for a writer; fstat then refuses it. Windows has no such flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CHUNK = 1024 * 1024;

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(file: string, what: string, s: Stats): InputFileError {
  return new InputFileError(
    file,
    'not-regular',
    `the ${what} is ${kindOf(s)}, not a regular file; save the content to a file and pass that file's path`,
  );
}

function tooLarge(file: string, o: ReadInputOptions, size: number | undefined): InputFileError {
  const is = size === undefined ? 'grew past' : `is ${size} bytes, over`;
  return new InputFileError(
    file,
    'too-large',
    `the ${o.what} ${is} the ${o.maxBytes}-byte limit for a ${o.what}; check that this is the right file`,
  );
}

function fromErrno(file: string, what: string, error: unknown): InputFileError {
  if (error instanceof InputFileError) return error;
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return new InputFileError(file, 'missing', `cannot read the ${what}: no such file; check the path`);
    case 'ENOTDIR':
      return new InputFileError(
        file,
        'missing',
        `cannot read the ${what}: a folder on the path is a file; check the path`,
      );
    case 'EACCES':
    case 'EPERM':
      return new InputFileError(
        file,
        'unreadable',
        `cannot read the ${what}: permission denied; make it readable by this user`,
      );
    case 'EISDIR':
      return new InputFileError(
        file,
        'not-regular',
        `the ${what} is a directory, not a regular file; pass the path of a file`,
      );
    case 'ELOOP':
      return new InputFileError(
        file,
        'unreadable',
        `cannot read the ${what}: too many symbolic links; pass the real file's path`,
      );
    case 'ENAMETOOLONG':
      return new InputFileError(
        file,
        'unreadable',
        `cannot read the ${what}: the path is too long; pass a shorter path`,
      );
    case 'EAGAIN':
      return new InputFileError(
        file,
        'not-regular',
        `the ${what} is not a regular file (it has nothing to read yet); save the content to a file and pass that file's path`,
      );
    default: {
      const code = e.code ?? 'error';
      return new InputFileError(
        file,
        'unreadable',
        `cannot read the ${what} (${code}: ${e.message ?? String(error)}); check the disk and the file, then try again`,
      );
    }
  }
}

/** The same file the path named when it was checked (a swap between stat and open is refused). */
function checkOpened(file: string, o: ReadInputOptions, before: Stats, opened: Stats): void {
  if (!opened.isFile()) throw notRegular(file, o.what, opened);
  if (opened.dev !== before.dev || opened.ino !== before.ino) {
    throw new InputFileError(
      file,
      'changed',
      `the ${o.what} was replaced while it was being opened; try again once nothing else writes it`,
    );
  }
  if (opened.size > o.maxBytes) throw tooLarge(file, o, opened.size);
}

function checkBefore(file: string, o: ReadInputOptions, s: Stats): void {
  if (!s.isFile()) throw notRegular(file, o.what, s);
  if (s.size > o.maxBytes) throw tooLarge(file, o, s.size);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 (a leading byte-order mark dropped): journal text must always be valid Unicode. */
function decode(file: string, what: string, bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InputFileError(file, 'not-utf8', `the ${what} is not UTF-8 text; save it as UTF-8 and try again`);
  }
}

/**
 * Reads a regular file as bytes, refusing FIFOs, devices, directories and sockets before opening
 * them for reading, and anything over `maxBytes`. Synchronous: for the CLI and for files the app
 * wrote itself. Throws only InputFileError.
 */
export function readRegularFileBytesSync(file: string, o: ReadInputOptions): Buffer {
  let fd: number | undefined;
  try {
    const before = statSync(file);
    checkBefore(file, o, before);
    fd = openSync(file, OPEN_FLAGS);
    checkOpened(file, o, before, fstatSync(fd));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, o.maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > o.maxBytes) throw tooLarge(file, o, undefined);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw fromErrno(file, o.what, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** readRegularFileBytesSync decoded as strict UTF-8. */
export function readRegularFileSync(file: string, o: ReadInputOptions): string {
  return decode(file, o.what, readRegularFileBytesSync(file, o));
}

/**
 * The asynchronous twin for the app's main process: every system call runs on libuv's thread
 * pool, so the window never freezes, and a FIFO or device is refused before anything waits on it.
 */
export async function readRegularFileBytes(file: string, o: ReadInputOptions): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    const before = await stat(file);
    checkBefore(file, o, before);
    handle = await open(file, OPEN_FLAGS);
    checkOpened(file, o, before, await handle.stat());
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, o.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > o.maxBytes) throw tooLarge(file, o, undefined);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw fromErrno(file, o.what, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** readRegularFileBytes decoded as strict UTF-8. */
export async function readRegularFile(file: string, o: ReadInputOptions): Promise<string> {
  return decode(file, o.what, await readRegularFileBytes(file, o));
}
