import type { Journal } from '../journal/journal';

/** The part of the journal the sync reads. Narrow, so tests and the CLI can hand in exactly this. */
export type SyncJournal = Pick<
  Journal,
  'db' | 'entries' | 'checkpoints' | 'entriesAfterRowid' | 'ceremonies' | 'verify'
>;
