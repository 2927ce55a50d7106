import { ConfigError } from '../config/load-config';
import { DatabaseOpenError } from '../db/database-open-error';
import { FileWriteError, describeWriteFailure } from '../fs/durable-write';
import { InputFileError } from '../fs/read-input-file';
import { printable } from '../fs/printable';
import { JournalClockError } from '../journal/journal-errors';
import { EXIT_BUSY, EXIT_CLOCK, EXIT_INTERNAL, EXIT_STORAGE, EXIT_USAGE, UserError } from './command';

const NOTHING_LOST = 'nothing already recorded was lost';

/** SQLite's result codes (better-sqlite3 puts them in `code`) and Node's errno codes. */
function storageProblem(code: string): { cause: string; todo: string; exit: number } | undefined {
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_LOCKED_')) {
    return { cause: 'the journal is in use by another Breakglass process (database busy)', todo: 'wait for it to finish, or close the app, and try again', exit: EXIT_BUSY };
  }
  if (code === 'SQLITE_FULL') return { cause: 'the disk holding the journal is full', todo: 'free some space and try again', exit: EXIT_STORAGE };
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) {
    return { cause: 'the journal or its folder is read-only', todo: 'use a writable data directory (reading commands such as export and review work on a read-only one)', exit: EXIT_STORAGE };
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_CANTOPEN_') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return { cause: 'the journal file cannot be opened (permissions, or a file where its folder should be)', todo: 'check --data-dir and its permissions', exit: EXIT_STORAGE };
  }
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_')) return { cause: `the disk reported an I/O error (${code})`, todo: 'check the disk, then try again', exit: EXIT_STORAGE };
  if (['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'ENOTDIR', 'EEXIST', 'EISDIR'].includes(code)) {
    const { cause, todo } = describeWriteFailure(code);
    const where = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is where a folder should be' : cause;
    return { cause: `${where} (${code})`, todo: code === 'ENOTDIR' || code === 'EEXIST' ? 'check --data-dir: it must be a folder' : todo, exit: EXIT_STORAGE };
  }
  return undefined;
}

/**
 * The one place a failure becomes a line and an exit code (docs/exit-codes.md): what went wrong,
 * that nothing already recorded was lost, what to do. Anything unrecognised is a bug: exit 70.
 */
export function classifyFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  // Files it refuses (a damaged journal, a FIFO as input, a bad configuration) are bad input.
  if (error instanceof DatabaseOpenError || error instanceof InputFileError || error instanceof ConfigError) return { message: error.message, exitCode: EXIT_USAGE };
  if (error instanceof JournalClockError) return { message: error.message, exitCode: EXIT_CLOCK };
  if (error instanceof FileWriteError) {
    const problem = storageProblem(error.code);
    return { message: error.message, exitCode: problem?.exit ?? EXIT_STORAGE };
  }
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const detail = printable(typeof e?.message === 'string' ? e.message : String(error));
  const problem = storageProblem(code);
  if (problem) return { message: `${problem.cause}; ${NOTHING_LOST}; ${problem.todo}. (${detail})`, exitCode: problem.exit };
  if (error instanceof RangeError && /call stack/i.test(detail)) {
    return { message: `an input is nested too deeply to read (${detail}); ${NOTHING_LOST}; check that the file is the one you meant`, exitCode: EXIT_USAGE };
  }
  if (error instanceof RangeError && /invalid time value/i.test(detail)) {
    return { message: `a date in the input is outside the range this program handles (${detail}); ${NOTHING_LOST}; check the file's timestamps`, exitCode: EXIT_USAGE };
  }
  return { message: `unexpected error: ${detail}`, exitCode: EXIT_INTERNAL };
}
