import type { JournalStatus } from '../../src-shared/ipc/contract';
import type { Journal } from './journal';

/** What the window shows about the journal: every ceremony, read back and verified. */
export async function journalStatus(journal: Journal, dataDir: string): Promise<JournalStatus> {
  const ceremonies = journal.ceremonies();
  const verdicts = ceremonies.map((c) => journal.verify(c.ceremony_id));
  return {
    dataDir,
    databaseFile: journal.file,
    restoredGuards: [...journal.restoredGuards],
    ceremonies: ceremonies.map((c, i) => {
      const verdict = verdicts[i]!;
      return {
        ceremony_id: c.ceremony_id,
        entries: c.entries,
        started_at: c.started_at,
        last_at: c.last_at,
        head_hash: c.head_hash ?? null,
        verified: verdict.ok,
        problem: verdict.ok ? null : `seq ${verdict.seq}: ${verdict.reason}`,
        evidence: null,
      };
    }),
  };
}
