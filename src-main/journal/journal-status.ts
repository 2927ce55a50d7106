import type { JournalStatus } from '../../src-shared/ipc/contract';
import type { Journal } from './journal';

/** What the window shows about the journal: every ceremony, read back and verified. */
export function journalStatus(journal: Journal, dataDir: string): JournalStatus {
  return {
    dataDir,
    databaseFile: journal.file,
    ceremonies: journal.ceremonies().map((c) => {
      const verdict = journal.verify(c.ceremony_id);
      return {
        ceremony_id: c.ceremony_id,
        entries: c.entries,
        started_at: c.started_at,
        last_at: c.last_at,
        head_hash: c.head_hash ?? null,
        verified: verdict.ok,
        problem: verdict.ok ? null : `seq ${verdict.seq}: ${verdict.reason}`,
      };
    }),
  };
}
