import { describe, expect, it } from 'vitest';
import { openJournal } from '../../../src-main/journal/journal';
import { auditDiff, isClean } from '../../../src-main/sync/audit-diff';
import { createSyncService } from '../../../src-main/sync/sync-service';
import { redact } from '../../../src-main/aws/classify-probe-error';
import { describeTapFailure } from '../../../src-main/ceremony/step-signer';
import type { Fault } from '../../support/mongo-wire-server/index';
import { seededRandom } from '../../support/mongo-wire-server/index';
import { steppingClock, useTempDir } from '../../support/temp-dir';
import { seedManyEntries, seedRootLoginCeremony } from './fixtures/seed-journal';
import { FAST_CLIENT, GUARD_TIMEOUTS, NS, stallDeadline, useWireServers } from './fixtures/sync-harness';

const tempDir = useTempDir('breakglass-sync-soak-');
const wire = useWireServers();

const FAULTS: Fault[] = [
  { kind: 'drop-before' },
  { kind: 'drop-after' },
  { kind: 'delay', delayMs: 30 },
  { kind: 'delay', delayMs: 300 }, // slow but answered: accepted however busy the machine (no short timeout races it)
  { kind: 'write-concern-error' },
  { kind: 'duplicate-key' },
  { kind: 'not-primary' },
  { kind: 'auth-failure' },
  { kind: 'garbage' },
  { kind: 'ack-nothing' }, // { ok: 1, n: 0 }: nothing stored, nothing may be marked as synced
];

/**
 * Faults that never answer: only the round-trip deadline ends them. That deadline runs out when the
 * server reports the stall, not after a time, so which requests are given up does not depend on load.
 */
const SLOW_FAULTS: Fault[] = [
  { kind: 'trickle', delayMs: 20 }, // slowloris: a byte every 20 ms, the reply never complete
  { kind: 'hang' }, // applied, then silence
];

describe('soak: 10,000 entries while faults fire at random', () => {
  it('ends with every entry in the collection exactly once and audit-diff clean', async () => {
    const seed = Number(process.env.SYNC_SOAK_SEED ?? 20261121);
    const random = seededRandom(seed);
    const deadline = stallDeadline();
    const server = await wire.start({ onStall: deadline.onStall });
    server.faults.random({ probability: 0.04, faults: SLOW_FAULTS, commands: ['insert', 'find'], random, limit: 24 });
    server.faults.random({ probability: 0.45, faults: FAULTS, commands: ['insert', 'find'], random });
    const journal = openJournal({ dataDir: tempDir(), clock: steppingClock('2026-11-21T09:00:00.000Z', 7) });
    seedRootLoginCeremony(journal, 'cer-real');
    // Encoding faults: texts cut at 500 units through a surrogate pair, and lone surrogates, as an
    // SSO probe error or a tap failure brings them. Journalled through the edges, they are valid
    // Unicode; before, BSON stored U+FFFD and every resend of these rows was a conflict for good.
    seedRootLoginCeremony(journal, 'cer-encoding');
    const cut = `${'no route '.repeat(60).slice(0, 499)}😀 rest`;
    for (let i = 0; i < 12; i++) {
      const text =
        i % 2 === 0 ? redact(`${cut} ${i}`) : describeTapFailure(new Error(`lone \ud83d ${i} ${cut}`)).reason;
      journal.append('cer-encoding', 'note', { text });
    }
    seedManyEntries(journal, 'cer-soak', 9_952);
    seedRootLoginCeremony(journal, 'cer-late');
    const total = 12 + 24 + 9_952 + 12;
    expect(total).toBe(10_000);

    const states = new Set<string>();
    let caughtUp: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (caughtUp = resolve));
    const service = createSyncService({
      journal,
      target: { uri: server.uri, database: 'breakglass' },
      backoff: { baseMs: 5, capMs: 50 },
      idleCheckMs: 20,
      batchSize: 50,
      random,
      timeouts: GUARD_TIMEOUTS,
      clientOptions: FAST_CLIENT,
      roundTripTimers: deadline.timers,
      onProgress: (p) => {
        states.add(p.state);
        if (p.state === 'idle' && p.pending === 0) caughtUp();
      },
    });
    service.start();
    // Waits for the service to say it caught up; the test's own timeout is only a hang guard.
    await done;
    await service.stop();
    // Replay a failure with SYNC_SOAK_SEED=<seed>.
    const stats = JSON.stringify({
      seed,
      fired: server.faults.fired,
      byKind: server.faults.firedByKind,
      commands: Object.fromEntries(server.commandCounts),
    });

    expect(service.status(), `${stats} ${service.status().last_error}`).toMatchObject({ state: 'idle', pending: 0 });
    expect(server.faults.fired, stats).toBeGreaterThanOrEqual(100);
    // Every stall was given up on its own event, and nothing else was.
    expect(deadline.expired, stats).toBe(deadline.stalls);
    expect(deadline.stalls, stats).toBe(
      (server.faults.firedByKind.hang ?? 0) + (server.faults.firedByKind.trickle ?? 0),
    );
    expect(Object.keys(server.faults.firedByKind).sort(), stats).toEqual(
      [...new Set([...FAULTS, ...SLOW_FAULTS].map((f) => f.kind))].sort(),
    );
    expect(states).toContain('offline');
    expect(states).toContain('error');

    const ids = server.store.all(NS).map((d) => String(d._id));
    expect(ids.length, stats).toBe(total);
    expect(new Set(ids).size).toBe(total);

    server.faults.clear();
    const log = wire.connect(server);
    const diffed = await auditDiff({ journal, collection: log.collection, where: log.where, redact: log.redact });
    if (!diffed.ok) throw new Error(diffed.error.message);
    const report = diffed.value;
    expect(report.checked).toBe(total);
    expect(report.matching).toBe(total);
    expect(isClean(report)).toBe(true);
    journal.close();
  }, 300_000); // a hang guard: the soak takes about 20 s quiet
});
