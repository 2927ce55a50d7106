import { MongoBulkWriteError, type Collection, type WriteConcernSettings } from 'mongodb';
import { AuditRowError, buildAuditRow, type AuditRow } from './audit-row';
import type { JournalRowContext } from './journal-row-context';
import { differingFields } from './row-compare';
import type { SyncCursor } from './sync-cursor';
import { replaceLoneSurrogatesDeep } from '../../src-shared/well-formed-text';
import { DEFAULT_ROUND_TRIP_MS, withDeadline, type DeadlineTimers } from './deadline';
import { describeMongoError, SyncError, type SyncFailureCode } from './sync-errors';
import { ok, refusalOf, type Refusal, type Result } from '../../src-shared/result';
import type { SyncJournal } from './sync-journal';

export const DEFAULT_BATCH_SIZE = 1000;

/**
 * 'majority' until the deployment says it cannot do it (a standalone that refuses, code 79/100);
 * then 1 for the rest of the session. Shared between passes so the fallback is learnt once.
 */
export interface WriteConcernChoice {
  w: 'majority' | 1;
}

export interface PushOptions {
  journal: SyncJournal;
  cursor: SyncCursor;
  rowContext: JournalRowContext;
  collection: Collection<AuditRow>;
  where: string;
  redact: (text: string) => string;
  writeConcern: WriteConcernChoice;
  clock: () => Date;
  batchSize?: number;
  /** After each acknowledged batch, for the progress display. */
  onBatch?: (pending: number) => void;
  /** Checked between batches, so stopping the app does not wait for a long catch-up. */
  shouldStop?: () => boolean;
  /** Total time one server round trip may take, however slowly the reply trickles in. */
  roundTripMs?: number;
  /** What counts the round-trip deadline down (default: real time). */
  roundTripTimers?: DeadlineTimers;
  /** Aborts the round trip in flight at once (the app is quitting). */
  signal?: AbortSignal;
  /**
   * Called when a round trip is abandoned (deadline or stop): the caller closes the connection,
   * which is the only way to free a socket the server keeps open.
   */
  onAbandon?: () => void;
}

/** What a push stored, whether it finished or stopped part way. */
export interface PushReport {
  /** Rows the server newly stored. */
  inserted: number;
  /** Rows that were already there (a resend after a lost acknowledgement, or another copy of this app). */
  alreadyThere: number;
  /** Entries still not acknowledged. */
  pending: number;
  writeConcern: 'majority' | 1;
}

/** Why a push stopped, and how far it got first: rows acknowledged before the failure stay synced. */
export interface PushRefusal extends Refusal<SyncFailureCode> {
  sent: PushReport;
}

const DUPLICATE_KEY_CODES = new Set([11000, 11001, 12582]);
const MAJORITY_UNSUPPORTED_CODES = new Set([79, 100]);

interface BatchOutcome {
  /** How many leading rows of the batch are stored and confirmed. */
  acknowledged: number;
  inserted: number;
  alreadyThere: number;
  error?: SyncError;
}

/**
 * Pushes every pending journal entry, oldest first, in batches. The cursor moves only past rows
 * the server acknowledged under the write concern, so a crash or a dropped connection at any
 * point means a resend, and a resend is harmless: ids are deterministic and a duplicate key is
 * checked to be the same row, then counted as "already there".
 */
export async function pushPending(options: PushOptions): Promise<Result<PushReport, PushRefusal>> {
  const { journal, cursor, rowContext, writeConcern } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const result: PushReport = { inserted: 0, alreadyThere: 0, pending: 0, writeConcern: writeConcern.w };
  let failure: SyncError | undefined;
  // Bounded: each round either advances the cursor by at least one row or returns.
  for (;;) {
    if (options.shouldStop?.()) break;
    const batch = journal.entriesAfterRowid(cursor.read().acked_rowid, batchSize);
    if (batch.length === 0) break;
    const rows: AuditRow[] = [];
    let mappingError: SyncError | undefined;
    for (const { entry } of batch) {
      try {
        rowContext.remember(entry);
        rows.push(buildAuditRow(entry, rowContext));
      } catch (error) {
        if (!(error instanceof AuditRowError)) throw error;
        mappingError = new SyncError('bad-entry', error.message, { cause: error });
        break;
      }
    }
    const outcome =
      rows.length > 0 ? await insertBatch(options, rows) : { acknowledged: 0, inserted: 0, alreadyThere: 0 };
    result.inserted += outcome.inserted;
    result.alreadyThere += outcome.alreadyThere;
    if (outcome.acknowledged > 0) {
      cursor.advance(batch[outcome.acknowledged - 1]!.rowid, options.clock().toISOString());
      options.onBatch?.(cursor.pendingCount());
    }
    const error = outcome.error ?? (outcome.acknowledged === rows.length ? mappingError : undefined);
    if (error) {
      failure = error;
      break;
    }
  }
  result.pending = cursor.pendingCount();
  result.writeConcern = writeConcern.w;
  // The layer's typed error becomes the one refusal shape here, once.
  return failure ? { ok: false, error: { ...refusalOf(failure.code, failure.message), sent: result } } : ok(result);
}

async function insertBatch(options: PushOptions, rows: AuditRow[]): Promise<BatchOutcome> {
  const { collection, writeConcern } = options;
  // At most two tries: the second only after learning the deployment cannot do majority.
  for (let attempt = 0; attempt < 2; attempt++) {
    const wc: WriteConcernSettings = { w: writeConcern.w };
    try {
      // Unordered: one round trip even when some rows are already there; order is restored by
      // the cursor, which only moves past an unbroken run of stored rows.
      const reply = await roundTrip(options, 'insert', () =>
        collection.insertMany(rows, { ordered: false, writeConcern: wc }),
      );
      // An "ok" that stored fewer rows than were sent ({ ok: 1, n: 0 } from a broken server or a
      // proxy) acknowledges nothing: the cursor moves only past rows the server says it holds.
      if (reply.insertedCount !== rows.length)
        return {
          acknowledged: 0,
          inserted: 0,
          alreadyThere: 0,
          error: shortAcknowledgement(rows.length, reply.insertedCount),
        };
      return { acknowledged: rows.length, inserted: reply.insertedCount, alreadyThere: 0 };
    } catch (error) {
      if (error instanceof SyncError) return { acknowledged: 0, inserted: 0, alreadyThere: 0, error };
      if (!(error instanceof MongoBulkWriteError) || !isServerReply(error))
        return {
          acknowledged: 0,
          inserted: 0,
          alreadyThere: 0,
          error: describeMongoError(error, options.where, options.redact),
        };
      const concernError = error.result.getWriteConcernError();
      if (concernError) {
        if (writeConcern.w === 'majority' && MAJORITY_UNSUPPORTED_CODES.has(concernError.code ?? -1)) {
          writeConcern.w = 1;
          continue;
        }
        return {
          acknowledged: 0,
          inserted: 0,
          alreadyThere: 0,
          error: new SyncError(
            'not-acknowledged',
            `MongoDB stored the rows but could not confirm them on a majority of its members (${options.redact(concernError.errmsg ?? 'write concern error')}); they will be sent again.`,
            { cause: error },
          ),
        };
      }
      return await settleWriteErrors(options, rows, error);
    }
  }
  return {
    acknowledged: 0,
    inserted: 0,
    alreadyThere: 0,
    error: new SyncError('not-acknowledged', 'MongoDB did not acknowledge the rows.'),
  };
}

/** A bulk error that carries the server's reply (write errors or a write-concern error), not a lost connection. */
function isServerReply(error: MongoBulkWriteError): boolean {
  return error.result.getWriteErrors().length > 0 || error.result.getWriteConcernError() !== undefined;
}

async function settleWriteErrors(
  options: PushOptions,
  rows: AuditRow[],
  error: MongoBulkWriteError,
): Promise<BatchOutcome> {
  const failed = new Map<number, { code: number; errmsg: string }>();
  for (const we of error.result.getWriteErrors()) failed.set(we.index, { code: we.code, errmsg: we.errmsg ?? '' });
  const duplicates = [...failed].filter(([, f]) => DUPLICATE_KEY_CODES.has(f.code)).map(([i]) => i);
  let stored: Map<string, unknown>;
  try {
    const ids = duplicates.map((i) => rows[i]!._id);
    const docs =
      ids.length > 0
        ? await roundTrip(options, 'check of rows already there', () =>
            options.collection.find({ _id: { $in: ids } }).toArray(),
          )
        : [];
    stored = new Map(docs.map((d) => [d._id, d]));
  } catch (findError) {
    // Could not check the duplicates: treat the whole batch as unacknowledged and try again later.
    return {
      acknowledged: 0,
      inserted: 0,
      alreadyThere: 0,
      error: describeMongoError(findError, options.where, options.redact),
    };
  }
  // Inserted plus duplicates must account for every row sent; otherwise the reply is not believed.
  if (error.result.insertedCount !== rows.length - failed.size)
    return {
      acknowledged: 0,
      inserted: 0,
      alreadyThere: 0,
      error: shortAcknowledgement(rows.length - failed.size, error.result.insertedCount),
    };
  let acknowledged = 0;
  let outcomeError: SyncError | undefined;
  for (let i = 0; i < rows.length; i++) {
    const f = failed.get(i);
    if (!f) {
      acknowledged += 1;
      continue;
    }
    if (DUPLICATE_KEY_CODES.has(f.code)) {
      const existing = stored.get(rows[i]!._id);
      const diff = existing === undefined ? ['(row vanished)'] : differingFields(rows[i], existing);
      if (diff.length === 0) {
        acknowledged += 1;
        continue;
      }
      outcomeError =
        existing !== undefined && isEncodingDifference(rows[i]!, existing)
          ? new SyncError(
              'conflict',
              `agent_audit_log holds row ${rows[i]!._id} with U+FFFD where the journal entry has a lone UTF-16 surrogate (text written before journal text was kept valid Unicode; MongoDB cannot store one). This is an encoding difference, not an edit: the journal itself verifies. Sync stopped so the difference is not hidden; run \`breakglass audit-diff\`.`,
            )
          : new SyncError(
              'conflict',
              `agent_audit_log already holds a different row with id ${rows[i]!._id} (differs in ${diff.slice(0, 5).join(', ')}). Sync stopped so the difference is not hidden; run \`breakglass audit-diff\`.`,
            );
    } else {
      outcomeError = new SyncError(
        'server-refused',
        `MongoDB refused the row for journal entry ${rows[i]!._id} (code ${f.code}: ${options.redact(f.errmsg)}).`,
        { cause: error },
      );
    }
    break;
  }
  const alreadyThere = duplicates.filter((i) => i < acknowledged).length;
  const inserted = rows.length - failed.size;
  return { acknowledged, inserted, alreadyThere, error: outcomeError };
}

/** The stored row is ours with each lone surrogate as U+FFFD: what BSON's UTF-8 makes of one. */
function isEncodingDifference(row: AuditRow, stored: unknown): boolean {
  const { value, replaced } = replaceLoneSurrogatesDeep(row);
  return replaced > 0 && differingFields(value, stored).length === 0;
}

function shortAcknowledgement(expected: number, stored: number): SyncError {
  return new SyncError(
    'not-acknowledged',
    `MongoDB answered "ok" but reports storing ${stored} of ${expected} new rows; nothing was marked as synced, the rows stay pending and will be sent again (a proxy or server that drops writes would do this).`,
  );
}

/** One server round trip under the overall deadline; an abandoned one closes the connection. */
async function roundTrip<T>(options: PushOptions, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await withDeadline(work, {
      ms: options.roundTripMs ?? DEFAULT_ROUND_TRIP_MS,
      where: options.where,
      what,
      signal: options.signal,
      timers: options.roundTripTimers,
    });
  } catch (error) {
    if (error instanceof SyncError) options.onAbandon?.();
    throw error;
  }
}
