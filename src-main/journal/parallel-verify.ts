import { availableParallelism } from 'node:os';
import type { ChainVerdict } from '../../src-shared/journal/types';
import type { Journal } from './journal';
import { acquireRangeWorker, releaseRangeWorker, type RangeWorker } from './range-workers';

/** Below this many entries one thread is faster than starting workers. */
export const PARALLEL_MIN_ENTRIES = 20_000;

/**
 * How much of the work a fresh worker can take relative to the calling thread, which starts at
 * once: a new worker first spends some tens of milliseconds starting its thread and connection,
 * and runs its first pages before the JIT has warmed up. A warm worker takes a full share.
 */
const COLD_WORKER_WEIGHT = 0.6;

/**
 * Contiguous shares of the seq range [0, count) in proportion to `weights` (the calling thread's
 * first), as [from, to] pairs; empty shares are dropped.
 */
export function splitRanges(count: number, weights: readonly number[]): Array<readonly [number, number]> {
  const total = weights.reduce((a, b) => a + b, 0);
  const bounds = [0];
  let acc = 0;
  for (const w of weights.slice(0, -1)) {
    acc += w;
    bounds.push(Math.round((count * acc) / total));
  }
  bounds.push(count);
  return bounds.slice(0, -1).map((from, i) => [from, bounds[i + 1]! - 1] as const).filter(([a, b]) => a <= b);
}

/** Entries a warm-up job walks: enough pages to warm a worker's JIT, a few milliseconds of work. */
const WARMUP_ENTRIES = 10_000;

/**
 * Starts the verification workers when the journal holds a ceremony large enough for the
 * parallel path, and has each walk the first pages of it, so that its thread, its connection and
 * its JIT are warm by the time the window first asks for the journal's status (after the renderer
 * has loaded). A journal of ordinary ceremonies, a few hundred entries each, starts nothing.
 * Resolves with the number of workers warmed.
 */
export async function prewarmVerification(journal: Journal, options: { threads?: number } = {}): Promise<number> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 4));
  const workers: RangeWorker[] = [];
  try {
    // Inside the try: nothing here may reject (the app starts this without awaiting it).
    const largest = journal.largestHead();
    if (!largest || largest.seq + 1 < PARALLEL_MIN_ENTRIES || journal.file === ':memory:' || threads < 2) return 0;
    for (let i = 1; i < threads; i++) workers.push(acquireRangeWorker(journal.file));
    await Promise.all(workers.map((w) => w.check(largest.ceremony_id, 0, Math.min(largest.seq, WARMUP_ENTRIES - 1))));
    return workers.length;
  } catch {
    return 0; // the parallel path falls back on its own; nothing to report here
  } finally {
    handBack(journal, workers);
  }
}

/** Workers go back to the idle pool after a job, unless their journal was closed meanwhile. */
function handBack(journal: Journal, workers: readonly RangeWorker[]): void {
  for (const w of workers) {
    if (journal.db.open) releaseRangeWorker(w);
    else w.stop();
  }
}

/**
 * Verifies a large ceremony on every core: the calling thread walks the first share of the seq
 * range while worker threads (kept warm between calls, see range-workers.ts) check the others;
 * the shares must join hash to hash and end at the recorded head. Anything less than "all
 * intact" (or a worker that cannot start, e.g. a native module a packaged app cannot load in a
 * worker) falls back to the sequential walk, which names the first bad seq and why.
 */
export async function verifyJournalParallel(
  journal: Journal,
  ceremonyId: string,
  options: { threads?: number; onPath?: (path: 'parallel' | 'sequential', why: string) => void } = {},
): Promise<ChainVerdict> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 4));
  const sequential = (why: string) => {
    options.onPath?.('sequential', why);
    return journal.verify(ceremonyId);
  };
  const head = journal.recordedHead(ceremonyId);
  if (!head || head.seq + 1 < PARALLEL_MIN_ENTRIES || journal.file === ':memory:' || threads < 2) return sequential('small journal');
  let why = 'a range is not intact';
  const workers: RangeWorker[] = [];
  try {
    const count = head.seq + 1;
    for (let i = 1; i < threads; i++) workers.push(acquireRangeWorker(journal.file));
    const [own, ...shares] = splitRanges(count, [1, ...workers.map((w) => (w.warm ? 1 : COLD_WORKER_WEIGHT))]);
    const results = Promise.all(shares.map(([from, to], i) => workers[i]!.check(ceremonyId, from, to)));
    results.catch(() => undefined); // observed below; a walk that fails first must not leave an unhandled rejection
    const mine = journal.verifyPrefix(ceremonyId, own![1]);
    if (mine.ok && mine.count === own![1] + 1) {
      const theirs = await results;
      const joined = theirs.every((r, i) => r.ok && r.firstPrev === (i === 0 ? mine.head_hash : theirs[i - 1]!.lastHash));
      const last = theirs.length > 0 ? theirs[theirs.length - 1]!.lastHash : mine.head_hash;
      if (joined && last === head.hash && journal.storedCount(ceremonyId) === count) {
        options.onPath?.('parallel', `${theirs.length + 1} ranges`);
        const unbound = journal.checkpointProblem(ceremonyId);
        return unbound ? { ok: false, ...unbound } : { ok: true, count, head_hash: head.hash };
      }
    }
  } catch (error) {
    why = `workers unavailable: ${(error as Error).message}`;
  } finally {
    // A worker still busy (the calling thread's share failed first) is stopped, not kept;
    // so is every worker of a journal closed while it was being verified.
    handBack(journal, workers);
  }
  return sequential(why);
}
