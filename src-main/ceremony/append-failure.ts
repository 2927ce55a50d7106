import { isDiskFull } from '../db/sqlite-failure';
import { JournalClockError, JournalError } from '../journal/journal';

/**
 * Why a signed step could not be written, as a tap-failure code and words. Only a journal whose
 * head really moved is "the journal changed during the tap"; a full disk, a busy or read-only
 * journal and a clock set back are named as what they are (a full disk once got the blame of a
 * moved head). In every case nothing was written and the step stays open.
 */
export function describeAppendFailure(error: unknown): { code: string; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof JournalClockError) return { code: 'clock', reason: message };
  if (error instanceof JournalError)
    return { code: 'head-moved', reason: `the journal changed during the tap (${message})` };
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  if (isDiskFull(error)) {
    return {
      code: 'disk-full',
      reason:
        'the disk is full, so the signed step could not be written; nothing already recorded was lost; free some space and tap again',
    };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return { code: 'journal-busy', reason: 'another process holds the journal; close it and tap again' };
  if (code.startsWith('SQLITE_READONLY'))
    return { code: 'read-only', reason: 'the journal is read-only; use a writable data directory' };
  if (code.startsWith('SQLITE_IOERR'))
    return { code: 'io-error', reason: `the disk reported an I/O error (${code}); check the disk and tap again` };
  return { code: 'write-failed', reason: `the signed step could not be written (${message})` };
}
