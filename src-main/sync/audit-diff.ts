import type { Collection } from 'mongodb';
import { AuditRowError, auditRowIdRange, buildAuditRow, type AuditRow } from './audit-row';
import { createJournalRowContext } from './journal-row-context';
import { differingFields } from './row-compare';
import { createSyncCursor } from './sync-cursor';
import { describeMongoError, type SyncFailureCode } from './sync-errors';
import { ok, refused, type Refusal, type Result } from '../../src-shared/result';
import type { SyncJournal } from './sync-journal';

export interface AuditDiffReport {
  ceremonies: Array<{ ceremony_id: string; entries: number; chain_ok: boolean; chain_problem?: string }>;
  /** Journal entries compared with the collection. */
  checked: number;
  matching: number;
  /** In the journal, not in the collection. `pending`: the sync has not sent it yet. */
  missing: Array<{ id: string; kind: string; pending: boolean }>;
  /** In the collection under one of this journal's ceremonies, not in the journal. */
  extra: Array<{ id: string; action: string }>;
  /** In both, but not the same row. */
  different: Array<{ id: string; fields: string[] }>;
  /** Journal entries that cannot be turned into rows at all. */
  unmappable: Array<{ id: string; reason: string }>;
}

export function isClean(report: AuditDiffReport): boolean {
  return (
    report.missing.length === 0 &&
    report.extra.length === 0 &&
    report.different.length === 0 &&
    report.unmappable.length === 0 &&
    report.ceremonies.every((c) => c.chain_ok)
  );
}

export interface AuditDiffOptions {
  journal: SyncJournal;
  collection: Collection<AuditRow>;
  where: string;
  redact: (text: string) => string;
  /** Only these ceremonies (default: every ceremony in the journal). */
  ceremonyIds?: readonly string[];
}

const PENDING_SCAN_BATCH = 2000;

/**
 * The quarterly reviewer's check: the rows agent_audit_log holds for this journal's ceremonies
 * against the rows the journal says it should hold, field by field. Read-only on both sides.
 * A server it cannot read from is a refusal with the sync's code (offline, server-refused).
 */
export async function auditDiff(options: AuditDiffOptions): Promise<Result<AuditDiffReport, Refusal<SyncFailureCode>>> {
  const { journal, collection } = options;
  const report: AuditDiffReport = {
    ceremonies: [],
    checked: 0,
    matching: 0,
    missing: [],
    extra: [],
    different: [],
    unmappable: [],
  };
  const pendingIds = pendingRowIds(journal);
  const context = createJournalRowContext(journal);
  const wanted = options.ceremonyIds ? new Set(options.ceremonyIds) : undefined;
  for (const { ceremony_id: ceremonyId } of journal.ceremonies()) {
    if (wanted && !wanted.has(ceremonyId)) continue;
    const entries = journal.entries(ceremonyId);
    const verdict = journal.verify(ceremonyId);
    report.ceremonies.push({
      ceremony_id: ceremonyId,
      entries: entries.length,
      chain_ok: verdict.ok,
      ...(verdict.ok ? {} : { chain_problem: `seq ${verdict.seq}: ${verdict.reason}` }),
    });

    const expected = new Map<string, { row: AuditRow; kind: string }>();
    for (const entry of entries) {
      report.checked += 1;
      try {
        context.remember(entry);
        const row = buildAuditRow(entry, context);
        expected.set(row._id, { row, kind: entry.kind });
      } catch (error) {
        if (!(error instanceof AuditRowError)) throw error;
        report.unmappable.push({ id: `${ceremonyId}:${entry.seq}`, reason: error.message });
      }
    }

    const range = auditRowIdRange(ceremonyId);
    let actual: AuditRow[];
    try {
      actual = await collection.find({ _id: { $gte: range.from, $lt: range.to } }).toArray();
    } catch (error) {
      const failure = describeMongoError(error, options.where, options.redact);
      return refused(failure.code, failure.message);
    }
    const seen = new Set<string>();
    for (const doc of actual) {
      const id = String(doc._id);
      seen.add(id);
      const want = expected.get(id);
      if (!want) {
        report.extra.push({ id, action: String(doc.action ?? '(no action)') });
        continue;
      }
      const fields = differingFields(want.row, doc);
      if (fields.length === 0) report.matching += 1;
      else report.different.push({ id, fields });
    }
    for (const [id, { kind }] of expected) {
      if (!seen.has(id)) report.missing.push({ id, kind, pending: pendingIds.has(id) });
    }
  }
  return ok(report);
}

function pendingRowIds(journal: SyncJournal): Set<string> {
  const ids = new Set<string>();
  let after = createSyncCursor(journal.db).read().acked_rowid;
  // Bounded by the journal's size: every round moves `after` forward or stops.
  for (;;) {
    const batch = journal.entriesAfterRowid(after, PENDING_SCAN_BATCH);
    if (batch.length === 0) return ids;
    for (const { entry } of batch) ids.add(`${entry.ceremony_id}:${entry.seq}`);
    after = batch[batch.length - 1]!.rowid;
  }
}
