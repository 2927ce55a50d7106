// SQLite's own words are read in this file and nowhere else in the app
// (test/build/no-codes-from-text.test.ts lists it as the one place for them).

/** SQLite's own words for a file that is not a database, or a damaged one. */
export function isDamageMessage(message: string): boolean {
  return /file is not a database|malformed|disk image/i.test(message);
}

/**
 * Whether a failed write failed because the disk is full. SQLite says so in its result code
 * (SQLITE_FULL), Node in its errno (ENOSPC); a RAISE(ABORT, 'database or disk is full') trigger,
 * which stands in for a full disk in the tests, carries only SQLite's own words.
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  return error instanceof Error && /database or disk is full/i.test(error.message);
}
