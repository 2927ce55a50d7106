import type { Checkpoint, JournalEntry } from '../../src-shared/journal/types';
import { AuditRowError, type AuditRowContext, type CeremonyFacts } from './audit-row';
import type { SyncJournal } from './sync-journal';

export interface JournalRowContext extends AuditRowContext {
  /** Feed entries as they are read, so a ceremony's first entry is known before its others need it. */
  remember(entry: JournalEntry): void;
}

/**
 * Ceremony facts and checkpoints for building rows, cached: a catch-up of thousands of entries
 * reads each ceremony's start and checkpoints once, not once per entry.
 */
export function createJournalRowContext(journal: SyncJournal): JournalRowContext {
  const facts = new Map<string, CeremonyFacts>();
  const checkpoints = new Map<string, Map<number, Checkpoint>>();

  function factsFrom(entry: JournalEntry): CeremonyFacts {
    const operator = entry.payload.operator;
    const operatorId =
      operator !== null && typeof operator === 'object' && !Array.isArray(operator)
        ? (operator as Record<string, unknown>).id
        : undefined;
    if (typeof operatorId !== 'string' || operatorId.length === 0)
      throw new AuditRowError(entry.ceremony_id, entry.seq, 'ceremony_started has no operator.id');
    return {
      operatorId,
      ceremonyType: typeof entry.payload.type === 'string' ? entry.payload.type : 'root-login',
      drill: entry.payload.drill === true,
    };
  }

  function remember(entry: JournalEntry): void {
    if (entry.seq === 0 && entry.kind === 'ceremony_started' && !facts.has(entry.ceremony_id))
      facts.set(entry.ceremony_id, factsFrom(entry));
  }

  return {
    remember,
    facts(ceremonyId) {
      const known = facts.get(ceremonyId);
      if (known) return known;
      // Its start was synced in an earlier run; read it back once.
      const first = journal.entries(ceremonyId)[0];
      if (!first || first.kind !== 'ceremony_started')
        throw new AuditRowError(
          ceremonyId,
          0,
          'the ceremony does not begin with ceremony_started, so its operator is unknown',
        );
      const found = factsFrom(first);
      facts.set(ceremonyId, found);
      return found;
    },
    checkpoint(ceremonyId, seq) {
      let bySeq = checkpoints.get(ceremonyId);
      if (!bySeq?.has(seq)) {
        // Checkpoints are written in the same transaction as their step_locked entry: reload once.
        bySeq = new Map(journal.checkpoints(ceremonyId).map((c) => [c.seq, c]));
        checkpoints.set(ceremonyId, bySeq);
      }
      return bySeq.get(seq);
    },
  };
}
