/**
 * Whether a failed write failed because the disk is full. SQLite says so in its result code
 * (SQLITE_FULL), Node in its errno (ENOSPC); a RAISE(ABORT, 'database or disk is full') trigger,
 * which stands in for a full disk in the tests, carries only SQLite's own words, so they are read
 * here and nowhere else.
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  return error instanceof Error && /database or disk is full/i.test(error.message);
}
