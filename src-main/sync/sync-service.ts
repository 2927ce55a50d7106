import type { MongoClientOptions } from 'mongodb';
import { isDiskFull } from '../db/sqlite-failure';
import { DEFAULT_TIMEOUTS, openAuditLog, type AuditLogConnection, type ConnectionTimeouts } from './audit-log-target';
import { NODE_TIMERS, type DeadlineTimers } from './deadline';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { createJournalRowContext, type JournalRowContext } from './journal-row-context';
import { pushPending, type WriteConcernChoice } from './push-pending';
import { createSyncCursor } from './sync-cursor';
import type { SyncFailureCode } from './sync-errors';
import type { Refusal } from '../../src-shared/result';
import type { SyncJournal } from './sync-journal';
import type { SyncProgress, SyncState } from './sync-progress';

export type Timers = DeadlineTimers;

export interface SyncServiceOptions {
  journal: SyncJournal;
  /** From the configuration; no `uri` means "sync not configured" and the service does nothing. */
  target: { uri?: string; database: string; collection?: string; password?: string };
  onProgress?: (progress: SyncProgress) => void;
  clock?: () => Date;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** How often an idle service checks SQLite for entries nobody nudged it about (no network). */
  idleCheckMs?: number;
  batchSize?: number;
  timeouts?: ConnectionTimeouts;
  /** Extra driver options (tests shorten heartbeat intervals). */
  clientOptions?: MongoClientOptions;
  /** Total time one server round trip may take (a trickling or stuck server is given up on). */
  roundTripMs?: number;
  /** What counts the round-trip deadline down (default: real time); tests end it on an event. */
  roundTripTimers?: Timers;
}

export interface SyncService {
  /** Begins syncing in the background. Returns at once. */
  start(): void;
  /** New entries were appended: sync soon, unless a failure's backoff is running. */
  nudge(): void;
  /** Try now, ignoring backoff (a "Sync now" button, or the OS saying the network is back). */
  syncNow(): Promise<SyncProgress>;
  status(): SyncProgress;
  /** Stops timers, lets a running batch finish, closes the connection. */
  stop(): Promise<void>;
}

const DEFAULT_IDLE_CHECK_MS = 5000;

/**
 * Keeps agent_audit_log caught up with the journal without ever being in the ceremony's way:
 * everything runs on its own timers, failures back off with jitter up to a cap, and each change
 * is pushed to `onProgress` for the UI.
 */
export function createSyncService(options: SyncServiceOptions): SyncService {
  const clock = options.clock ?? (() => new Date());
  const timers = options.timers ?? NODE_TIMERS;
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const idleCheckMs = options.idleCheckMs ?? DEFAULT_IDLE_CHECK_MS;
  const cursor = createSyncCursor(options.journal.db);
  const rowContext: JournalRowContext = createJournalRowContext(options.journal);
  const writeConcern: WriteConcernChoice = { w: 'majority' };
  const uri = options.target.uri?.trim();

  const saved = cursor.read();
  let progress: SyncProgress = {
    state: uri ? 'idle' : 'not-configured',
    pending: cursor.pendingCount(),
    last_success_at: saved.last_success_at,
    last_error: saved.last_error,
    next_attempt_at: null,
  };
  let started = false;
  let stopped = false;
  /** Set when the configuration itself is wrong: retrying cannot help. */
  let halted = false;
  let failures = 0;
  let timer: unknown = null;
  let running: Promise<void> | null = null;
  let rerun = false;
  let connection: AuditLogConnection | null = null;
  /** Aborted by stop(): the round trip in flight is given up at once, whatever the server does. */
  const stopping = new AbortController();

  function emit(change: Partial<SyncProgress>): void {
    progress = { ...progress, ...change };
    options.onProgress?.(progress);
  }

  function schedule(ms: number, failed: boolean): void {
    if (stopped) return;
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = null;
      void run();
    }, ms);
    if (failed) emit({ next_attempt_at: new Date(clock().getTime() + ms).toISOString() });
  }

  function dropConnection(): void {
    const old = connection;
    connection = null;
    // A fresh client after a network failure re-discovers the server at once instead of
    // waiting out the driver's own monitoring interval.
    if (old) void old.close();
  }

  async function attempt(): Promise<boolean> {
    const pending = cursor.pendingCount();
    if (pending === 0) {
      failures = 0;
      if (progress.state !== 'idle' || progress.pending !== 0)
        emit({ state: 'idle', pending: 0, last_error: null, next_attempt_at: null });
      schedule(idleCheckMs, false);
      return true;
    }
    // last_error stays until an attempt succeeds, so a retry does not look like a healthy sync.
    emit({ state: 'syncing', pending, next_attempt_at: null });
    if (!connection) {
      const opened = openAuditLog(
        {
          uri: uri!,
          database: options.target.database,
          collection: options.target.collection,
          password: options.target.password,
        },
        options.timeouts ?? DEFAULT_TIMEOUTS,
        options.clientOptions,
      );
      if (!opened.ok) return failed(opened.error, pending);
      connection = opened.value;
    }
    const c = connection;
    // Anything thrown here (the disk full while the cursor moved) is for survive(), which keeps
    // the loop going.
    const result = await pushPending({
      journal: options.journal,
      cursor,
      rowContext,
      collection: c.collection,
      where: c.where,
      redact: c.redact,
      writeConcern,
      clock,
      batchSize: options.batchSize,
      onBatch: (left) => emit({ pending: left, last_success_at: cursor.read().last_success_at }),
      shouldStop: () => stopped,
      roundTripMs: options.roundTripMs,
      roundTripTimers: options.roundTripTimers,
      signal: stopping.signal,
      onAbandon: dropConnection,
    });
    if (!result.ok) return failed(result.error, result.error.sent.pending);
    failures = 0;
    emit({
      state: 'idle',
      pending: result.value.pending,
      last_success_at: cursor.read().last_success_at,
      last_error: null,
      next_attempt_at: null,
    });
    // Entries may have arrived while the batch was in flight.
    if (result.value.pending > 0 && !stopped) schedule(0, false);
    else schedule(idleCheckMs, false);
    return true;
  }

  /** A refused attempt: shown, stored, and retried after a backoff its code decides (or never). */
  function failed(error: Refusal<SyncFailureCode>, pending: number): false {
    const state: SyncState = error.code === 'offline' ? 'offline' : 'error';
    const at = clock().toISOString();
    recordError(error.message, at);
    emit({ state, pending, last_error: error.message, last_success_at: cursor.read().last_success_at });
    if (error.code === 'offline' || error.code === 'server-refused') dropConnection();
    if (error.code === 'config-invalid') {
      halted = true;
      emit({ next_attempt_at: null });
      return false;
    }
    const delay =
      error.code === 'conflict' || error.code === 'bad-entry' ? policy.capMs : backoffDelay(policy, failures, random);
    failures += 1;
    schedule(delay, true);
    return false;
  }

  /** The error is shown either way; storing it is best effort (the disk may be what failed). */
  function recordError(message: string, at: string): void {
    try {
      cursor.recordError(message, at);
    } catch {
      // Shown on screen; nothing else depends on the stored copy.
    }
  }

  /**
   * Whatever went wrong outside the network (the disk full while the cursor was recorded, a
   * journal read failing): say so, keep the rows pending, and try again later. The loop never ends
   * on an error.
   */
  function survive(error: unknown): void {
    const detail = (error as Error)?.message ?? String(error);
    const message = isDiskFull(error)
      ? 'Sync could not record its progress: the disk is full. Nothing is lost (rows already sent are checked when sent again); free some space and it resumes on its own.'
      : `Sync failed unexpectedly (${detail}). Nothing is lost; it tries again on its own.`;
    let pending = progress.pending;
    try {
      pending = cursor.pendingCount();
    } catch {
      // Keep the last count shown.
    }
    recordError(message, clock().toISOString());
    emit({ state: 'error', pending, last_error: message });
    const delay = backoffDelay(policy, failures, random);
    failures += 1;
    schedule(delay, true);
  }

  function run(): Promise<void> {
    if (stopped || halted || !uri) return Promise.resolve();
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      let ok: boolean;
      do {
        rerun = false;
        try {
          ok = await attempt();
        } catch (error) {
          survive(error);
          ok = false;
        }
      } while (ok && rerun && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      options.onProgress?.(progress);
      if (uri) schedule(0, false);
    },
    nudge() {
      if (!started || stopped) return;
      if (!uri) {
        // Nothing to send to, but the count of what waits locally stays true on screen.
        emit({ pending: cursor.pendingCount() });
        return;
      }
      if (halted) return;
      if (running) {
        rerun = true;
        return;
      }
      if (progress.state === 'offline' || progress.state === 'error') {
        // Respect the backoff, but let the count on screen grow.
        emit({ pending: cursor.pendingCount() });
        return;
      }
      schedule(0, false);
    },
    async syncNow() {
      if (timer !== null) {
        timers.clearTimeout(timer);
        timer = null;
      }
      if (!uri) {
        emit({ pending: cursor.pendingCount() });
        return progress;
      }
      if (running) await running;
      await run();
      return progress;
    },
    status: () => progress,
    async stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      // Gives up the round trip in flight at once; closing below is bounded too (CLOSE_WAIT_MS).
      stopping.abort();
      if (running) await running;
      const c = connection;
      connection = null;
      if (c) await c.close();
    },
  };
}
