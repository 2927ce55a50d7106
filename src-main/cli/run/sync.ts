import { openCliEnds } from '../open-sync-ends';
import { createJournalRowContext } from '../../sync/journal-row-context';
import { pushPending } from '../../sync/push-pending';
import { createSyncCursor } from '../../sync/sync-cursor';
import { EXIT_ATTENTION, EXIT_OK, type CliCommand, type CliIo } from '../command';

/** `breakglass sync`, loaded on demand by its definition in commands/sync.ts. */
export async function runSync(
  { values }: { values: Record<string, unknown> },
  io: CliIo,
  syncCommand: CliCommand,
): Promise<number> {
  const { journal, log, roundTripMs } = openCliEnds(values, io.env, syncCommand);
  try {
    const cursor = createSyncCursor(journal.db);
    const before = cursor.pendingCount();
    const result = await pushPending({
      journal,
      cursor,
      rowContext: createJournalRowContext(journal),
      collection: log.collection,
      where: log.where,
      redact: log.redact,
      writeConcern: { w: 'majority' },
      clock: io.now,
      roundTripMs,
      // Errors are printed, not stored: a failed CLI run leaves the journal file as it was.
    });
    const sent = result.ok ? result.value : result.error.sent;
    const counts = `${sent.inserted} new, ${sent.alreadyThere} already there, ${sent.pending} pending`;
    if (!result.ok) {
      io.err(`breakglass sync: ${result.error.message}`);
      io.out(`${before} pending before; ${counts}. Nothing is lost: run again when the server is reachable.`);
      return EXIT_ATTENTION;
    }
    const concern = sent.writeConcern === 'majority' ? 'majority' : 'w:1 (the server does not support majority)';
    io.out(
      `synced to ${log.where} ${log.collection.dbName}.${log.collection.collectionName}: ${counts} (write concern ${concern})`,
    );
    const last = cursor.read().last_success_at;
    if (last) io.out(`last success: ${last}`);
    return sent.pending === 0 ? EXIT_OK : EXIT_ATTENTION;
  } finally {
    journal.close();
    await log.close();
  }
}
