import type { JsonObject } from '../../src-shared/canonical-json';
import type { JournalEntry } from '../../src-shared/journal/types';
import { replaceLoneSurrogatesDeep } from '../../src-shared/well-formed-text';
import type { Journal } from '../journal/journal';
import { reconciliationAttachment } from './attachment';
import { ReconcileInputError } from './input-error';
import type { Reconciliation } from './reconciliation-types';

/**
 * Appends the `reconciliation_attached` entry to the reconciled ceremony's journal. The whole
 * report goes in, so the exported bundle stays self-contained: `breakglass export` renders the
 * postmortem from it on any laptop. Shared by the CLI (`reconcile --attach`) and the app.
 */
export function attachReconciliation(journal: Pick<Journal, 'head' | 'append'>, r: Reconciliation): JournalEntry {
  if (!journal.head(r.ceremony_id)) {
    throw new ReconcileInputError(
      `ceremony ${r.ceremony_id}`,
      'not in this journal; nothing attached',
      'ceremony-not-in-journal',
    );
  }
  // A `\udXXX` escape in a CloudTrail file parses to a lone surrogate, which is not valid
  // Unicode: replaced by U+FFFD here, at the journal's edge, and said so in the report.
  const { value: report, replaced } = replaceLoneSurrogatesDeep(JSON.parse(JSON.stringify(r)) as Reconciliation);
  if (replaced > 0)
    report.warnings = [
      ...report.warnings,
      `${replaced} lone UTF-16 surrogate(s) in the inputs' text (not valid Unicode) were replaced by U+FFFD before journalling`,
    ];
  return journal.append(r.ceremony_id, 'reconciliation_attached', {
    ...reconciliationAttachment(report),
    report: report as unknown as JsonObject,
  });
}
