import { SyncError } from './sync-errors';

/**
 * Bounds one server round trip. The driver's socket timeout restarts with every byte, so a server
 * that trickles its reply (slowloris) or hangs after applying a write would hold a sync forever;
 * this gives up after `ms` in total, or at once when `signal` aborts (the app is stopping).
 * Giving up says nothing about whether the server applied the write: the caller leaves the rows
 * pending, and a resend is harmless (deterministic ids, duplicates checked).
 */
export async function withDeadline<T>(
  work: () => Promise<T>,
  options: { ms: number; where: string; what: string; signal?: AbortSignal },
): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) throw stopping();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const pending = work();
  // The abandoned operation fails later, when its connection is closed: that is expected.
  pending.catch(() => undefined);
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SyncError(
            'offline',
            `MongoDB at ${options.where} did not answer the ${options.what} within ${options.ms} ms (a slow or stuck server); nothing was marked as synced and the rows stay pending.`,
          ),
        ),
      options.ms,
    );
    timer.unref?.();
    onAbort = () => reject(stopping());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
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
