import { ConfigError } from '../config/load-config';
import { DatabaseOpenError, JournalFolderWriteError } from '../db/database-open-error';
import { FileWriteError, describeWriteFailure } from '../fs/durable-write';
import { InputFileError } from '../fs/read-input-file';
import { printable } from '../fs/printable';
import { JournalClockError } from '../journal/journal-errors';
import type { Refusal, RefusalCode } from '../../src-shared/result';
import { ReconcileInputError, type ReconcileInputCode } from '../reconcile/input-error';
import { EXIT_ATTENTION, EXIT_BUSY, EXIT_CLOCK, EXIT_INTERNAL, EXIT_STORAGE, EXIT_USAGE, UserError } from './command';

const NOTHING_LOST = 'nothing already recorded was lost';

/** The commands that only read, and so work where a journal cannot be written (docs/journal-format.md). */
const READING_COMMANDS = 'review, export --no-seal, key list, key export-trust, audit-diff';

/**
 * The exit code of every refusal the core can return (src-shared/result.ts), by its code alone:
 * bad input or a state that refuses it is usage (2), a key that could not do it is attention (1),
 * a bug is 70. A Record, so a new code does not compile until it has its exit code here.
 */
const REFUSAL_EXITS: Readonly<Record<RefusalCode, number>> = {
  'invalid-input': EXIT_USAGE,
  'invalid-argument': EXIT_USAGE,
  'out-of-order': EXIT_USAGE,
  locked: EXIT_USAGE,
  finished: EXIT_USAGE,
  'not-authorised': EXIT_USAGE,
  'not-found': EXIT_USAGE,
  'journal-tampered': EXIT_USAGE,
  'config-invalid': EXIT_USAGE,
  forbidden: EXIT_USAGE,
  'unknown-channel': EXIT_USAGE,
  'too-large': EXIT_USAGE,
  // The slot or the very key is enrolled already: choose another slot or key.
  'already-enrolled': EXIT_USAGE,
  'one-try': EXIT_ATTENTION,
  'tap-failed': EXIT_ATTENTION,
  busy: EXIT_ATTENTION,
  'no-key': EXIT_ATTENTION,
  'not-a-yubikey': EXIT_ATTENTION,
  'no-hid-access': EXIT_ATTENTION,
  'not-touched': EXIT_ATTENTION,
  'wrong-key': EXIT_ATTENTION,
  cancelled: EXIT_ATTENTION,
  unplugged: EXIT_ATTENTION,
  'pin-required': EXIT_ATTENTION,
  'pin-invalid': EXIT_ATTENTION,
  'pin-blocked': EXIT_ATTENTION,
  'uv-blocked': EXIT_ATTENTION,
  'key-unusable': EXIT_ATTENTION,
  'bad-signature': EXIT_ATTENTION,
  'counter-regression': EXIT_ATTENTION,
  protocol: EXIT_ATTENTION,
  // Sync: nothing is lost, the entries stay pending; run it again (or look, for a conflict).
  offline: EXIT_ATTENTION,
  'server-refused': EXIT_ATTENTION,
  'not-acknowledged': EXIT_ATTENTION,
  conflict: EXIT_ATTENTION,
  'bad-entry': EXIT_ATTENTION,
  unexpected: EXIT_INTERNAL,
};

/** A refusal a command returned: its sentence, and its exit code from the table above. */
export function classifyRefusal(refusal: Refusal): { message: string; exitCode: number } {
  return { message: printable(refusal.message), exitCode: REFUSAL_EXITS[refusal.code] };
}

/** SQLite's result codes (better-sqlite3 puts them in `code`) and Node's errno codes. */
function storageProblem(code: string): { cause: string; todo: string; exit: number } | undefined {
  if (
    code === 'SQLITE_BUSY' ||
    code.startsWith('SQLITE_BUSY_') ||
    code === 'SQLITE_LOCKED' ||
    code.startsWith('SQLITE_LOCKED_')
  ) {
    return {
      cause: 'the journal is in use by another Breakglass process (database busy)',
      todo: 'wait for it to finish, or close the app, and try again',
      exit: EXIT_BUSY,
    };
  }
  if (code === 'SQLITE_FULL')
    return { cause: 'the disk holding the journal is full', todo: 'free some space and try again', exit: EXIT_STORAGE };
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) {
    return {
      cause: 'the journal or its folder is read-only',
      todo: `use a writable data directory (commands that only read work on a read-only one: ${READING_COMMANDS})`,
      exit: EXIT_STORAGE,
    };
  }
  if (
    code === 'SQLITE_CANTOPEN' ||
    code.startsWith('SQLITE_CANTOPEN_') ||
    code === 'SQLITE_PERM' ||
    code === 'SQLITE_AUTH'
  ) {
    return {
      cause: 'the journal file cannot be opened (permissions, or a file where its folder should be)',
      todo: 'check --data-dir and its permissions',
      exit: EXIT_STORAGE,
    };
  }
  if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR_'))
    return {
      cause: `the disk reported an I/O error (${code})`,
      todo: 'check the disk, then try again',
      exit: EXIT_STORAGE,
    };
  if (['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'ENOTDIR', 'EEXIST', 'EISDIR'].includes(code)) {
    const { cause, todo } = describeWriteFailure(code);
    const where = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is where a folder should be' : cause;
    return {
      cause: `${where} (${code})`,
      todo: code === 'ENOTDIR' || code === 'EEXIST' ? 'check --data-dir: it must be a folder' : todo,
      exit: EXIT_STORAGE,
    };
  }
  return undefined;
}

/** The reconcile refusals whose remedy is a flag of `breakglass reconcile`, in the CLI's words. */
const RECONCILE_INPUT_WORDS: Readonly<Record<ReconcileInputCode, (e: ReconcileInputError) => string>> = {
  'ceremony-not-in-journal': (e) => `${e.message} (give the --data-dir of the journal that recorded it)`,
  'no-cloudtrail': (e) => printable(`--cloudtrail: ${e.problem}`),
  'digests-without-public-keys': () =>
    '--cloudtrail-digest: digest files need --cloudtrail-public-keys (aws cloudtrail list-public-keys --output json, exported beforehand)',
  'public-keys-without-digests': () =>
    '--cloudtrail-public-keys: public keys given without any --cloudtrail-digest file',
};

function reconcileInputMessage(error: ReconcileInputError): string {
  return error.code ? RECONCILE_INPUT_WORDS[error.code](error) : error.message;
}

/**
 * The one place a failure becomes a line and an exit code (docs/exit-codes.md): what went wrong,
 * that nothing already recorded was lost, what to do. Anything unrecognised is a bug: exit 70.
 */
export function classifyFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UserError) return { message: error.message, exitCode: error.exitCode };
  // Files it refuses (a damaged journal, a FIFO as input, a bad configuration, a reconcile input) are bad input.
  if (error instanceof ReconcileInputError) return { message: reconcileInputMessage(error), exitCode: EXIT_USAGE };
  if (error instanceof DatabaseOpenError || error instanceof InputFileError || error instanceof ConfigError)
    return { message: error.message, exitCode: EXIT_USAGE };
  if (error instanceof JournalClockError) return { message: error.message, exitCode: EXIT_CLOCK };
  if (error instanceof FileWriteError) {
    const problem = storageProblem(error.code);
    const reading =
      error instanceof JournalFolderWriteError ? `, or use a command that only reads (${READING_COMMANDS})` : '';
    return { message: `${error.message}${reading}`, exitCode: problem?.exit ?? EXIT_STORAGE };
  }
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const detail = printable(typeof e?.message === 'string' ? e.message : String(error));
  const problem = storageProblem(code);
  if (problem)
    return { message: `${problem.cause}; ${NOTHING_LOST}; ${problem.todo}. (${detail})`, exitCode: problem.exit };
  if (error instanceof RangeError && /call stack/i.test(detail)) {
    return {
      message: `an input is nested too deeply to read (${detail}); ${NOTHING_LOST}; check that the file is the one you meant`,
      exitCode: EXIT_USAGE,
    };
  }
  if (error instanceof RangeError && /invalid time value/i.test(detail)) {
    return {
      message: `a date in the input is outside the range this program handles (${detail}); ${NOTHING_LOST}; check the file's timestamps`,
      exitCode: EXIT_USAGE,
    };
  }
  return { message: `unexpected error: ${detail}`, exitCode: EXIT_INTERNAL };
}
