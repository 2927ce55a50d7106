import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src-shared/canonical-json';
import { GENESIS_PREV_HASH } from '../../../src-shared/journal/types';
import { entryHashWithPayloadText } from '../../../src-main/journal/entry-hash';
import { openJournal, type Journal } from '../../../src-main/journal/journal';
import { pushPending } from '../../../src-main/sync/push-pending';
import { createSyncCursor } from '../../../src-main/sync/sync-cursor';
import { createSyncService, type Timers } from '../../../src-main/sync/sync-service';
import { steppingClock, useTempDir } from '../../support/temp-dir';
import { seedRootLoginCeremony } from './fixtures/seed-journal';
import {
  FAST_CLIENT,
  GUARD_TIMEOUTS,
  journalIds,
  NS,
  pushOptionsFor,
  sent,
  stallDeadline,
  stoppedOn,
  storedIds,
  useWireServers,
} from './fixtures/sync-harness';

const tempDir = useTempDir('breakglass-sync-faults-');
const wire = useWireServers();

function freshJournal() {
  return openJournal({ dataDir: tempDir(), clock: steppingClock() });
}

async function until(check: () => boolean, what: string): Promise<void> {
  // Bounded polling on the service's own state, not on elapsed time.
  for (let i = 0; i < 2000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for: ${what}`);
}

/** Timers fired by hand, so retries happen when the test says so. */
function manualTimers(): Timers & { fire(): void; pending(): number } {
  let queue: Array<{ fn: () => void; cancelled: boolean }> = [];
  return {
    setTimeout(fn) {
      const t = { fn, cancelled: false };
      queue.push(t);
      return t;
    },
    clearTimeout(handle) {
      (handle as { cancelled: boolean }).cancelled = true;
    },
    fire() {
      const live = queue.filter((t) => !t.cancelled);
      queue = [];
      for (const t of live) t.fn();
    },
    pending: () => queue.filter((t) => !t.cancelled).length,
  };
}

/**
 * An entry as a version before journal text was kept valid Unicode could write it: a lone
 * surrogate in its payload, hashed correctly (append refuses such text now).
 */
function plantOldEntryWithLoneSurrogate(journal: Journal, ceremonyId: string): void {
  const payload = {
    type: 'root-login',
    drill: true,
    operator: { id: 'taha@example.com', name: 'Taha' },
    app_version: '0.0.9',
    config_source: 'probe error: cut \ud83d',
  };
  const base = {
    ceremony_id: ceremonyId,
    seq: 0,
    kind: 'ceremony_started',
    recorded_at: '2026-11-21T09:00:00.000Z',
    prev_hash: GENESIS_PREV_HASH,
  };
  // Written by a version before the I-JSON rule: canonicalize refuses the lone surrogate now, so
  // the old text is spelled as that version did (JSON.stringify escapes it as \ud83d).
  const text = canonicalize({ ...payload, config_source: 'X' }).replace('"X"', JSON.stringify(payload.config_source));
  const hash = entryHashWithPayloadText(base, text);
  journal.db
    .prepare(
      'INSERT INTO entries (ceremony_id, seq, kind, payload, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(ceremonyId, 0, base.kind, text, base.recorded_at, base.prev_hash, hash);
  journal.db.prepare('INSERT INTO heads (ceremony_id, seq, hash) VALUES (?, ?, ?)').run(ceremonyId, 0, hash);
}

describe('sync under server faults', () => {
  it('a resend conflict that is only U+FFFD for a lone surrogate is diagnosed as an encoding difference', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    plantOldEntryWithLoneSurrogate(journal, 'cer-old');
    expect(journal.verify('cer-old')).toMatchObject({ ok: true });
    const log = wire.connect(server);
    // Stored (BSON turns the lone surrogate into U+FFFD), never acknowledged: the driver retries once, drop both.
    server.faults.once({ kind: 'drop-after' }, ['insert'], 2);
    expect(stoppedOn(await pushPending(pushOptionsFor(journal, log)))?.code).toBe('offline');
    const resent = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(resent)?.code).toBe('conflict');
    expect(stoppedOn(resent)?.message).toMatch(
      /^agent_audit_log holds row cer-old:0 with U\+FFFD where the journal entry has a lone UTF-16 surrogate .*This is an encoding difference, not an edit/,
    );
    expect(sent(resent).pending).toBe(1);
    journal.close();
  });

  it('an { ok: 1, n: 0 } acknowledgement never moves the cursor; the rows are sent again and stored once', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    const log = wire.connect(server);
    server.faults.once({ kind: 'ack-nothing' });
    const lied = await pushPending(pushOptionsFor(journal, log));
    expect(stoppedOn(lied)?.code).toBe('not-acknowledged');
    expect(stoppedOn(lied)?.message).toBe(
      'MongoDB answered "ok" but reports storing 0 of 12 new rows; nothing was marked as synced, the rows stay pending and will be sent again (a proxy or server that drops writes would do this).',
    );
    expect(sent(lied).pending).toBe(12);
    expect(createSyncCursor(journal.db).read().acked_rowid).toBe(0);
    expect(server.store.count(NS)).toBe(0);

    const again = await pushPending(pushOptionsFor(journal, log));
    expect(again).toMatchObject({ ok: true, value: { inserted: 12, alreadyThere: 0, pending: 0 } });
    expect(storedIds(server)).toEqual(journalIds(journal));
    journal.close();
  });

  it('gives up on a reply that trickles in (slowloris) after the round-trip deadline, then resends harmlessly', async () => {
    // The 400 ms deadline runs out when the server starts to trickle, not after 400 ms of a clock.
    const deadline = stallDeadline();
    const server = await wire.start({ onStall: deadline.onStall });
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    // Each byte comes well inside the socket timeout, so only the overall deadline can end this.
    server.faults.once({ kind: 'trickle', delayMs: 20 });
    const first = wire.connect(server);
    let abandoned = 0;
    const slow = await pushPending(
      pushOptionsFor(journal, first, {
        roundTripMs: 400,
        roundTripTimers: deadline.timers,
        onAbandon: () => abandoned++,
      }),
    );
    expect(stoppedOn(slow)?.code).toBe('offline');
    expect(stoppedOn(slow)?.message).toMatch(
      /^MongoDB at 127\.0\.0\.1:\d+ did not answer the insert within 400 ms \(a slow or stuck server\); nothing was marked as synced/,
    );
    expect(abandoned).toBe(1);
    expect(createSyncCursor(journal.db).read().acked_rowid).toBe(0);
    await first.close();

    const log = wire.connect(server);
    const resent = await pushPending(pushOptionsFor(journal, log));
    expect(resent).toMatchObject({ ok: true, value: { inserted: 0, alreadyThere: 12, pending: 0 } });
    expect(storedIds(server)).toEqual(journalIds(journal));
    journal.close();
  });

  it('stop() returns while the server hangs after applying a write, and the next start finds the rows there', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    server.faults.always({ kind: 'hang' });
    // A long socket timeout and round-trip deadline: only stop() can end the wait.
    const options = {
      journal,
      target: { uri: server.uri, database: 'breakglass' },
      timeouts: { ...GUARD_TIMEOUTS, socketTimeoutMS: 600_000 },
      clientOptions: FAST_CLIENT,
      roundTripMs: 600_000,
    };
    const service = createSyncService(options);
    service.start();
    await until(() => server.commandCounts.get('insert') === 1, 'the insert reached the server');
    await service.stop();
    expect(service.status().pending).toBe(12);
    expect(createSyncCursor(journal.db).read().acked_rowid).toBe(0);
    await until(() => server.connectionCount() === 0, 'the stuck connection closed');

    server.faults.clear();
    const next = createSyncService(options);
    await next.syncNow();
    expect(next.status()).toMatchObject({ state: 'idle', pending: 0 });
    expect(storedIds(server)).toEqual(journalIds(journal));
    await next.stop();
    journal.close();
  });

  it('the background loop survives a full disk while recording its progress and resumes when space returns', async () => {
    const server = await wire.start();
    const journal = freshJournal();
    seedRootLoginCeremony(journal, 'cer-1');
    // Every write to the sync state fails as it would on a full disk.
    journal.db.exec(
      "CREATE TEMP TRIGGER disk_full BEFORE UPDATE ON main.sync_state BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    );
    const timers = manualTimers();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const service = createSyncService({
      journal,
      target: { uri: server.uri, database: 'breakglass' },
      timers,
      backoff: { baseMs: 5, capMs: 10 },
      timeouts: GUARD_TIMEOUTS,
      clientOptions: FAST_CLIENT,
    });
    try {
      service.start();
      timers.fire();
      await until(() => service.status().state === 'error', 'the error is shown');
      expect(service.status().last_error).toBe(
        'Sync could not record its progress: the disk is full. Nothing is lost (rows already sent are checked when sent again); free some space and it resumes on its own.',
      );
      expect(service.status().pending).toBe(12);
      expect(timers.pending()).toBe(1); // a retry is scheduled
      expect(server.store.count(NS)).toBe(12); // sent, but the cursor could not record it

      journal.db.exec('DROP TRIGGER temp.disk_full');
      timers.fire();
      await until(
        () => service.status().state === 'idle' && service.status().pending === 0,
        'caught up after space returned',
      );
      expect(storedIds(server)).toEqual(journalIds(journal));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await service.stop();
      journal.close();
    }
  });
});
