import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openJournal, type Journal } from '../src-main/journal/journal';
import { openAuditLog } from '../src-main/sync/audit-log-target';
import { buildAuditRow, type AuditRow } from '../src-main/sync/audit-row';
import { createJournalRowContext } from '../src-main/sync/journal-row-context';
import { pushPending } from '../src-main/sync/push-pending';
import { createSyncCursor } from '../src-main/sync/sync-cursor';
import { startMongoWireServer } from '../test/support/mongo-wire-server/index';
import { percentile, round } from './stats';

const ENTRIES = 10_000;
const PER_CEREMONY = 40;
const ROUNDS = 9;
const TARGET = 1.5;
const NS = 'breakglass.agent_audit_log';

/** 250 ceremonies of 40 entries, mostly logged actions: the shape of a long offline stretch. */
function seed(journal: Journal): void {
  journal.db.pragma('synchronous = OFF');
  journal.db.transaction(() => {
    for (let c = 0; c < ENTRIES / PER_CEREMONY; c++) {
      const id = `bench-${String(c).padStart(4, '0')}`;
      journal.append(id, 'ceremony_started', {
        type: 'root-login',
        drill: true,
        operator: { id: 'taha@example.com', name: 'Taha' },
        app_version: '0.1.0',
        config_source: 'bench',
      });
      for (let i = 1; i < PER_CEREMONY; i++) {
        journal.append(id, 'action_logged', {
          text: `aws ec2 describe-instances --instance-ids i-${(c * 1000 + i).toString(16)}`,
          logged_at: '2026-11-21T09:07:00.000Z',
          parsed: [
            {
              service: 'ec2',
              operation: 'DescribeInstances',
              iam_action: 'ec2:DescribeInstances',
              event_source: 'ec2.amazonaws.com',
              read_only: true,
            },
          ],
          warnings: [],
        });
      }
    }
  })();
  journal.db.pragma('synchronous = FULL');
}

/**
 * Catch-up of 10,000 pending entries (read from SQLite, mapped, sent in batches, cursor advanced
 * per acknowledged batch) against one raw insertMany of the same documents, same driver, same
 * server, interleaved rounds, medians.
 */
export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'breakglass-bench-sync-'));
  const server = await startMongoWireServer();
  const journal = openJournal({ dataDir: dir });
  const opened = openAuditLog({ uri: server.uri, database: 'breakglass' });
  if (!opened.ok) throw new Error(opened.error.message);
  const log = opened.value;
  try {
    seed(journal);
    const context = createJournalRowContext(journal);
    const rows: AuditRow[] = journal.entriesAfterRowid(0, ENTRIES).map(({ entry }) => {
      context.remember(entry);
      return buildAuditRow(entry, context);
    });
    const cursor = createSyncCursor(journal.db);
    const resetCursor = journal.db.prepare('UPDATE sync_state SET acked_rowid = 0 WHERE id = 1');
    const raw: number[] = [];
    const sync: number[] = [];
    // Warm both paths (connection pool, JIT) before measuring.
    await log.collection.insertMany(rows.slice(0, 100));
    server.store.drop(NS);
    const gc = (globalThis as { gc?: () => void }).gc;
    const measureRaw = async () => {
      server.store.drop(NS);
      gc?.();
      const t = performance.now();
      await log.collection.insertMany(rows);
      raw.push(performance.now() - t);
      if (server.store.count(NS) !== ENTRIES) throw new Error('raw insertMany did not store every row');
    };
    const measureSync = async () => {
      server.store.drop(NS);
      resetCursor.run();
      gc?.();
      const t = performance.now();
      const result = await pushPending({
        journal,
        cursor,
        rowContext: createJournalRowContext(journal),
        collection: log.collection,
        where: log.where,
        redact: log.redact,
        writeConcern: { w: 'majority' },
        clock: () => new Date(),
      });
      sync.push(performance.now() - t);
      if (!result.ok || result.value.pending !== 0 || result.value.inserted !== ENTRIES)
        throw new Error(`catch-up incomplete: ${JSON.stringify(result)}`);
    };
    // Alternate which goes first, so drift on a busy machine hits both sides alike.
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      if (round_ % 2 === 0) {
        await measureRaw();
        await measureSync();
      } else {
        await measureSync();
        await measureRaw();
      }
    }
    const ratio = percentile(sync, 50) / percentile(raw, 50);
    return {
      entries: ENTRIES,
      raw_insert_many_median_ms: round(percentile(raw, 50), 1),
      catch_up_median_ms: round(percentile(sync, 50), 1),
      catch_up_ratio: round(ratio, 2),
      catch_up_target: `<= ${TARGET}x`,
      catch_up_pass: ratio <= TARGET,
    };
  } finally {
    await log.close();
    journal.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
