import { describe, expect, it } from 'vitest';
import { openJournal } from '../../../src-main/journal/journal';
import { backoffDelay } from '../../../src-main/sync/backoff';
import { createSyncCursor } from '../../../src-main/sync/sync-cursor';
import { createSyncService, type SyncServiceOptions, type Timers } from '../../../src-main/sync/sync-service';
import { describeProgress, type SyncProgress } from '../../../src-main/sync/sync-progress';
import { steppingClock, useTempDir } from '../../support/temp-dir';
import { seedRootLoginCeremony } from './fixtures/seed-journal';
import {
  deadPort,
  FAST_CLIENT,
  GUARD_TIMEOUTS,
  NS,
  UNREACHABLE_TIMEOUTS,
  useWireServers,
} from './fixtures/sync-harness';

const tempDir = useTempDir('breakglass-sync-service-');
const wire = useWireServers();

/** Timers the test fires by hand: records every delay the service asks for. */
function manualTimers(): Timers & { delays: number[]; fire(): void; pending(): number } {
  const queue: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  return {
    delays: [],
    setTimeout(fn, ms) {
      const t = { fn, ms, cancelled: false };
      queue.push(t);
      this.delays.push(ms);
      return t;
    },
    clearTimeout(handle) {
      (handle as { cancelled: boolean }).cancelled = true;
    },
    fire() {
      const live = queue.splice(0).filter((t) => !t.cancelled);
      for (const t of live) t.fn();
    },
    pending() {
      return queue.filter((t) => !t.cancelled).length;
    },
  };
}

async function until(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  // Bounded polling: the condition is about the service's state, not about elapsed time.
  for (let waited = 0; waited < limitMs; waited += 10) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for: ${what}`);
}

function baseOptions(
  journal: ReturnType<typeof openJournal>,
  uri: string | undefined,
  extra: Partial<SyncServiceOptions> = {},
): SyncServiceOptions {
  return {
    journal,
    target: { uri, database: 'breakglass' },
    backoff: { baseMs: 20, capMs: 200 },
    idleCheckMs: 50,
    timeouts: GUARD_TIMEOUTS,
    clientOptions: FAST_CLIENT,
    ...extra,
  };
}

describe('sync service', () => {
  it('without a URI reports "sync not configured", counts pending entries and touches no network', async () => {
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    seedRootLoginCeremony(journal, 'cer-1');
    const seen: SyncProgress[] = [];
    const timers = manualTimers();
    const service = createSyncService(baseOptions(journal, undefined, { timers, onProgress: (p) => seen.push(p) }));
    service.start();
    service.nudge();
    expect(timers.pending()).toBe(0);
    expect(service.status()).toMatchObject({ state: 'not-configured', pending: 12 });
    expect(describeProgress(service.status())).toBe('sync not configured (12 entries waiting locally)');
    expect((await service.syncNow()).state).toBe('not-configured');
    expect(seen[0]?.state).toBe('not-configured');
    await service.stop();
    journal.close();
  });

  it('syncs in the background, pushes progress, and picks up new entries when nudged', async () => {
    const server = await wire.start();
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    seedRootLoginCeremony(journal, 'cer-1');
    const seen: SyncProgress[] = [];
    const service = createSyncService(
      baseOptions(journal, server.uri, { batchSize: 5, idleCheckMs: 60_000, onProgress: (p) => seen.push({ ...p }) }),
    );
    service.start();
    await until(() => service.status().state === 'idle' && service.status().pending === 0, 'first catch-up');
    expect(server.store.count(NS)).toBe(12);
    expect(seen.map((p) => p.state)).toContain('syncing');
    expect(seen.filter((p) => p.state === 'syncing').map((p) => p.pending)).toEqual(expect.arrayContaining([12, 7, 2]));
    expect(service.status().last_success_at).not.toBeNull();

    journal.append('cer-1', 'note', { text: 'one more' });
    service.nudge();
    await until(() => server.store.count(NS) === 13 && service.status().pending === 0, 'nudged entry');
    await service.stop();
    journal.close();
  });

  it('goes offline with a plain reason, backs off with jitter, and catches up when the server returns', async () => {
    const port = await deadPort();
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    seedRootLoginCeremony(journal, 'cer-1');
    const timers = manualTimers();
    const random = () => 0.5;
    const service = createSyncService(
      baseOptions(journal, `mongodb://127.0.0.1:${port}/`, { timers, random, timeouts: UNREACHABLE_TIMEOUTS }),
    );
    service.start();
    timers.fire();
    await until(() => service.status().state === 'offline', 'offline');
    const offline = service.status();
    expect(offline.pending).toBe(12);
    expect(offline.last_error).toMatch(new RegExp(`MongoDB at 127\\.0\\.0\\.1:${port} is not reachable`));
    expect(offline.next_attempt_at).not.toBeNull();
    expect(createSyncCursor(journal.db).read().last_error).toBe(offline.last_error);
    expect(describeProgress(offline)).toMatch(/^12 entries waiting: MongoDB at .* is not reachable/);

    // Each failure waits longer (equal jitter), up to the cap.
    const policy = { baseMs: 20, capMs: 200 };
    for (let failure = 1; failure < 6; failure++) {
      expect(timers.delays.at(-1)).toBe(backoffDelay(policy, failure - 1, random));
      timers.fire();
      await until(() => timers.pending() === 1 && timers.delays.length === failure + 2, `retry ${failure}`);
    }
    expect(Math.max(...timers.delays)).toBeLessThanOrEqual(200);

    // A nudge while offline respects the backoff: no extra attempt is scheduled.
    const before = timers.delays.length;
    journal.append('cer-1', 'note', { text: 'written while offline' });
    service.nudge();
    expect(timers.delays.length).toBe(before);
    expect(service.status().pending).toBe(13);

    const server = await wire.start({ port });
    timers.fire();
    await until(() => {
      // Server selection is kept short for the dead port; on a busy machine it may run out once
      // more after the server is back, and the retry is then the next timer the test fires.
      if (service.status().state === 'offline' && timers.pending() > 0) timers.fire();
      return service.status().state === 'idle' && service.status().pending === 0;
    }, 'catch-up after the network returned');
    expect(server.store.count(NS)).toBe(13);
    expect(service.status().last_error).toBeNull();
    expect(createSyncCursor(journal.db).read().last_error).toBeNull();
    await service.stop();
    journal.close();
  });

  it('never holds up the ceremony: appends return while a slow batch is in flight', async () => {
    const server = await wire.start();
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    seedRootLoginCeremony(journal, 'cer-1');
    // The batch's reply waits for the test, so "in flight" is a fact here, not a race with a delay.
    let release: () => void = () => undefined;
    server.faults.once({ kind: 'delay', release: new Promise<void>((resolve) => (release = resolve)) });
    const service = createSyncService(baseOptions(journal, server.uri));
    service.start();
    await until(() => server.faults.fired === 1, 'the batch reached the server');
    const appended = journal.append('cer-1', 'note', { text: 'appended mid-sync' });
    expect(appended.seq).toBe(12);
    expect(service.status().state).toBe('syncing');
    service.nudge();
    release();
    await until(() => service.status().state === 'idle' && service.status().pending === 0, 'caught up');
    expect(server.store.has(NS, 'cer-1:12')).toBe(true);
    await service.stop();
    journal.close();
  });

  it('stops for good on a URI that does not parse, saying so, and writes nothing', async () => {
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    seedRootLoginCeremony(journal, 'cer-1');
    const timers = manualTimers();
    const service = createSyncService(baseOptions(journal, 'mongodb://user:pw@host:notaport/', { timers }));
    service.start();
    timers.fire();
    await until(() => service.status().state === 'error', 'error state');
    expect(service.status().last_error).toMatch(/The MongoDB URI does not parse/);
    expect(service.status().last_error).not.toContain(':pw@');
    expect(service.status().next_attempt_at).toBeNull();
    expect(timers.pending()).toBe(0);
    expect(createSyncCursor(journal.db).read().acked_rowid).toBe(0);
    await service.stop();
    journal.close();
  });

  it('stop() ends the timers and closes the connection', async () => {
    const server = await wire.start();
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock() });
    seedRootLoginCeremony(journal, 'cer-1');
    const timers = manualTimers();
    const service = createSyncService(baseOptions(journal, server.uri, { timers }));
    service.start();
    await service.syncNow();
    expect(service.status()).toMatchObject({ state: 'idle', pending: 0 });
    await service.stop();
    expect(timers.pending()).toBe(0);
    await until(() => server.connectionCount() === 0, 'connections closed');
    journal.close();
  });
});
