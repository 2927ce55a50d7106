/**
 * The journal file cannot be used as it is: damaged, cut short, empty, another program's
 * database, or written by a newer version. The message names the file and says what to do, and
 * nothing was written to the file. The CLI prints it as one line and exits 2; the app shows it in
 * its start-up error box.
 */
export class DatabaseOpenError extends Error {}

/** The commands that only read, and so work where this one cannot write (docs/journal-format.md). */
export const READING_COMMANDS = 'review, export --no-seal, key list, key export-trust, audit-diff';
