import { describe, expect, it } from 'vitest';
import { openJournal } from '../../../src-main/journal/journal';
import { buildAuditRow } from '../../../src-main/sync/audit-row';
import { createJournalRowContext } from '../../../src-main/sync/journal-row-context';
import { pushPending } from '../../../src-main/sync/push-pending';
import { createSyncCursor } from '../../../src-main/sync/sync-cursor';
import { openAuditLog } from '../../../src-main/sync/audit-log-target';
import { auditDiff } from '../../../src-main/sync/audit-diff';
import { differingFields } from '../../../src-main/sync/row-compare';
import { steppingClock, useTempDir } from '../../support/temp-dir';
import { seedManyEntries, seedRootLoginCeremony } from './fixtures/seed-journal';
import {
  deadPort,
  UNREACHABLE_TIMEOUTS,
  journalIds,
  NS,
  pushOptionsFor,
  sent,
  stoppedOn,
  storedIds,
  useWireServers,
} from './fixtures/sync-harness';

const tempDir = useTempDir('breakglass-sync-push-');
const wire = useWireServers();

function freshJournal() {
  return openJournal({ dataDir: tempDir(), clock: steppingClock() });
}

describe('pushPending against the wire-protocol server', () => {
  it('sends every entry once, in order, with deterministic ids, and then has nothing to do', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    const entries = seedRootLoginCeremony(journal, 'cer-1');
    seedRootLoginCeremony(journal, 'cer-2');
    const log = wire.connect(server);
    const pendingSeen: number[] = [];
    const first = await pushPending(
      pushOptionsFor(journal, log, { batchSize: 5, onBatch: (p) => pendingSeen.push(p) }),
    );
    expect(first).toMatchObject({
      ok: true,
      value: { inserted: 24, alreadyThere: 0, pending: 0, writeConcern: 'majority' },
    });
    expect(pendingSeen).toEqual([19, 14, 9, 4, 0]);
    expect(storedIds(server)).toEqual(journalIds(journal));
    // What the server holds is the row as built, field for field (timestamp a Date on the wire).
    const ctx = createJournalRowContext(journal);
    for (const e of entries)
      expect(differingFields(buildAuditRow(e, ctx), server.store.get(NS, `cer-1:${e.seq}`))).toEqual([]);
    expect(server.store.get(NS, 'cer-1:7')!.timestamp).toBeInstanceOf(Date);
    const state = createSyncCursor(journal.db).read();
    expect(state.last_success_at).toBe('2026-11-21T10:00:00.000Z');

    const inserts = server.commandCounts.get('insert');
    const second = await pushPending(pushOptionsFor(journal, log));
    expect(second).toMatchObject({ ok: true, value: { inserted: 0, alreadyThere: 0, pending: 0 } });
    expect(server.commandCounts.get('insert')).toBe(inserts);
    journal.close();
  });

  it('does not move the cursor when the acknowledgement is lost, and the resend counts as already there', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    const log = wire.connect(server);
    // The driver retries a network error once by itself; drop both.
    server.faults.once({ kind: 'drop-after' }, ['insert'], 2);
    const lost = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(lost)?.code).toBe('offline');
    expect(stoppedOn(lost)?.message).toMatch(/connection to MongoDB at 127\.0\.0\.1:\d+ was lost/);
    expect(createSyncCursor(journal.db).read().acked_rowid).toBe(0);
    expect(sent(lost).pending).toBe(12);
    expect(server.store.count(NS)).toBe(12); // applied, never acknowledged

    const resent = await pushPending(pushOptionsFor(journal, log));
    expect(resent).toMatchObject({ ok: true, value: { inserted: 0, alreadyThere: 12, pending: 0 } });
    expect(storedIds(server)).toEqual(journalIds(journal));
    journal.close();
  });

  it('treats a write-concern error as not acknowledged', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    const log = wire.connect(server);
    server.faults.once({ kind: 'write-concern-error' });
    const result = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(result)?.code).toBe('not-acknowledged');
    expect(stoppedOn(result)?.message).toMatch(/could not confirm them on a majority/);
    expect(createSyncCursor(journal.db).read().acked_rowid).toBe(0);
    const again = await pushPending(pushOptionsFor(journal, log));
    expect(again).toMatchObject({ ok: true, value: { alreadyThere: 12, pending: 0 } });
    journal.close();
  });

  it('falls back to w:1 once when the deployment refuses majority, and remembers it', async () => {
    const server = await wire.start({ topology: 'standalone', majority: 'refuse' });
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    const log = wire.connect(server);
    const writeConcern = { w: 'majority' as 'majority' | 1 };
    const result = await pushPending(pushOptionsFor(journal, log, { writeConcern, batchSize: 4 }));
    // The refused first batch was stored all the same, so its resend at w:1 finds it already there.
    expect(result).toMatchObject({ ok: true, value: { pending: 0, writeConcern: 1, inserted: 8, alreadyThere: 4 } });
    expect(storedIds(server)).toEqual(journalIds(journal));
    // One refused majority insert, then three batches at w:1.
    expect(server.commandCounts.get('insert')).toBe(4);
    journal.close();
  });

  it('accepts rows another writer stored first, after checking they are the same', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedManyEntries(journal, 'cer-1', 40);
    const log = wire.connect(server);
    server.faults.once({ kind: 'duplicate-key' });
    const result = await pushPending(pushOptionsFor(journal, log));
    expect(result).toMatchObject({ ok: true, value: { inserted: 20, alreadyThere: 20, pending: 0 } });
    expect(server.store.count(NS)).toBe(40);
    journal.close();
  });

  it('stops at a row the log holds differently, and says so, without overwriting it', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    server.store.insert(NS, { _id: 'cer-1:3', action: 'break_glass_notify', forged: true });
    const log = wire.connect(server);
    const result = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(result)?.code).toBe('conflict');
    expect(stoppedOn(result)?.message).toMatch(/already holds a different row with id cer-1:3.*audit-diff/);
    expect(server.store.get(NS, 'cer-1:3')).toEqual({ _id: 'cer-1:3', action: 'break_glass_notify', forged: true });
    // Seq 0..2 are acknowledged, so the cursor stops right before the conflict.
    const acked = createSyncCursor(journal.db).read().acked_rowid;
    expect(journal.entriesAfterRowid(acked, 1)[0]!.entry.seq).toBe(3);
    expect(sent(result).pending).toBe(9);
    journal.close();
  });

  it('reports refusals in plain words and keeps everything pending', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    const log = wire.connect(server);
    server.faults.once({ kind: 'not-primary' }, ['insert'], 2);
    const notPrimary = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(notPrimary)?.code).toBe('server-refused');
    expect(stoppedOn(notPrimary)?.message).toMatch(/not accepting writes right now \(NotWritablePrimary\)/);
    server.faults.once({ kind: 'auth-failure' });
    const auth = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(auth)?.message).toMatch(/refused the credentials \(AuthenticationFailed\)/);
    expect(createSyncCursor(journal.db).read().acked_rowid).toBe(0);
    expect(server.store.count(NS)).toBe(0);
    journal.close();
  });

  it('stops at an entry that cannot become a row, after sending the ones before it', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    journal.append('orphan-1', 'note', { text: 'a ceremony without a start' });
    seedRootLoginCeremony(journal, 'cer-2');
    const log = wire.connect(server);
    const result = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(result)?.code).toBe('bad-entry');
    expect(stoppedOn(result)?.message).toMatch(/orphan-1 #0/);
    expect(sent(result).inserted).toBe(12);
    expect(sent(result).pending).toBe(13);
    journal.close();
  });

  it('says "not reachable" quickly when nothing listens, and changes nothing', async () => {
    const port = await deadPort();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    const opened = openAuditLog(
      { uri: `mongodb://auditor:hunter22@127.0.0.1:${port}/`, database: 'breakglass' },
      UNREACHABLE_TIMEOUTS,
    );
    if (!opened.ok) throw new Error(opened.error.message);
    const log = opened.value;
    try {
      const result = await pushPending(pushOptionsFor(journal, log));
      expect(stoppedOn(result)?.code).toBe('offline');
      expect(stoppedOn(result)?.message).toMatch(
        new RegExp(`MongoDB at 127\\.0\\.0\\.1:${port} is not reachable \\(.*ECONNREFUSED`),
      );
      expect(stoppedOn(result)?.message).not.toContain('hunter22');
      expect(sent(result).pending).toBe(12);
      expect(createSyncCursor(journal.db).read()).toMatchObject({ acked_rowid: 0, last_success_at: null });
    } finally {
      await log.close();
      journal.close();
    }
  });

  it('audit-diff against a server it cannot reach is a refusal with the sync code, not a throw', async () => {
    const port = await deadPort();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    const opened = openAuditLog(
      { uri: `mongodb://auditor:hunter22@127.0.0.1:${port}/`, database: 'breakglass' },
      UNREACHABLE_TIMEOUTS,
    );
    if (!opened.ok) throw new Error(opened.error.message);
    const log = opened.value;
    try {
      const diffed = await auditDiff({ journal, collection: log.collection, where: log.where, redact: log.redact });
      expect(diffed).toMatchObject({
        ok: false,
        error: { code: 'offline', message: expect.stringMatching(/is not reachable/) },
      });
      expect(JSON.stringify(diffed)).not.toContain('hunter22');
    } finally {
      await log.close();
      journal.close();
    }
  });
});
