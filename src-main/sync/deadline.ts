import { SyncError } from './sync-errors';

/** Where a deadline's countdown comes from: real time in the app, an event the test controls in tests. */
export interface DeadlineTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that never keep a process alive on their own. */
export const NODE_TIMERS: DeadlineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Bounds one server round trip. The driver's socket timeout restarts with every byte, so a server
 * that trickles its reply (slowloris) or hangs after applying a write would hold a sync forever;
 * this gives up after `ms` in total, or at once when `signal` aborts (the app is stopping).
 * Giving up says nothing about whether the server applied the write: the caller leaves the rows
 * pending, and a resend is harmless (deterministic ids, duplicates checked).
 */
export async function withDeadline<T>(
  work: () => Promise<T>,
  options: { ms: number; where: string; what: string; signal?: AbortSignal; timers?: DeadlineTimers },
): Promise<T> {
  const { signal } = options;
  const timers = options.timers ?? NODE_TIMERS;
  if (signal?.aborted) throw stopping();
  let timer: unknown;
  let onAbort: (() => void) | undefined;
  const pending = work();
  // The abandoned operation fails later, when its connection is closed: that is expected.
  pending.catch(() => undefined);
  const expired = new Promise<never>((_, reject) => {
    timer = timers.setTimeout(
      () =>
        reject(
          new SyncError(
            'offline',
            `MongoDB at ${options.where} did not answer the ${options.what} within ${options.ms} ms (a slow or stuck server); nothing was marked as synced and the rows stay pending.`,
          ),
        ),
      options.ms,
    );
    onAbort = () => reject(stopping());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    if (timer !== undefined) timers.clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function stopping(): SyncError {
  return new SyncError(
    'offline',
    'Sync stopped before MongoDB answered; the rows stay pending and are sent at the next start.',
  );
}

/** Every round trip in a sync gets this long unless told otherwise (CLI: --timeout-ms). */
export const DEFAULT_ROUND_TRIP_MS = 30_000;
