import type { JsonObject } from '../../src-shared/canonical-json';
import type { JournalEntry } from '../../src-shared/journal/types';
import { UserError } from '../cli/command';
import type { Journal } from '../journal/journal';
import { reconciliationAttachment } from './attachment';
import type { Reconciliation } from './reconciliation-types';

/**
 * Appends the `reconciliation_attached` entry to the reconciled ceremony's journal. The whole
 * report goes in, so the exported bundle stays self-contained: `breakglass export` renders the
 * postmortem from it on any laptop. Shared by the CLI (`reconcile --attach`) and the app.
 */
export function attachReconciliation(journal: Pick<Journal, 'head' | 'append'>, r: Reconciliation): JournalEntry {
  if (!journal.head(r.ceremony_id)) throw new UserError(`ceremony ${r.ceremony_id} is not in this journal; nothing attached`);
  return journal.append(r.ceremony_id, 'reconciliation_attached', { ...reconciliationAttachment(r), report: JSON.parse(JSON.stringify(r)) as JsonObject });
}
