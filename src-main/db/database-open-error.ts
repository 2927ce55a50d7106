import { FileWriteError } from '../fs/durable-write';

/**
 * The journal file cannot be used as it is: damaged, cut short, empty, another program's
 * database, or written by a newer version. The message names the file and says what to do, and
 * nothing was written to the file. The CLI prints it as one line and exits 2; the app shows it in
 * its start-up error box.
 */
export class DatabaseOpenError extends Error {}

/**
 * The journal's folder cannot be written, so nothing can be appended. Its own class so that a
 * way in can add what still works there (the CLI names its commands that only read).
 */
export class JournalFolderWriteError extends FileWriteError {}
