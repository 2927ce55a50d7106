import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChainVerdict } from '../../src-shared/journal/types';
import { HASH_INPUT_PAGE_SQL, type Journal } from './journal';

/** Below this many entries one thread is faster than starting workers. */
export const PARALLEL_MIN_ENTRIES = 20_000;

// Plain JS run in a worker thread: it reads one seq range through its own read-only connection
// (WAL allows concurrent readers) and says only whether that range is intact, where it starts
// and where it ends. It never explains a failure: the sequential walk does that, so there is one
// source of truth for "the first bad seq and why".
const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const Database = require(w.sqlite);
const db = new Database(w.file, { readonly: true, fileMustExist: true });
const page = db.prepare(w.sql).raw();
let next = w.from, prev = null, firstPrev = null, ok = true;
while (ok && next <= w.to) {
  const rows = page.all(w.id, next, Math.min(w.pageSize, w.to - next + 1));
  if (rows.length === 0) { ok = false; break; }
  for (const [seq, input, prevHash, hash] of rows) {
    if (seq !== next || (prev !== null && prevHash !== prev) || createHash('sha256').update(input, 'utf8').digest('hex') !== hash) { ok = false; break; }
    if (firstPrev === null) firstPrev = prevHash;
    prev = hash;
    next += 1;
  }
}
db.close();
parentPort.postMessage({ ok, firstPrev, lastHash: prev });
`;

interface RangeResult {
  ok: boolean;
  firstPrev: string | null;
  lastHash: string | null;
}

interface RunningRange {
  result: Promise<RangeResult>;
  stop(): void;
}

function startRange(file: string, sqlite: string, id: string, from: number, to: number): RunningRange {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlite, id, from, to, sql: HASH_INPUT_PAGE_SQL, pageSize: 5000 } });
  const result = new Promise<RangeResult>((resolve, reject) => {
    worker.once('message', (r: RangeResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`verification worker exited with ${code}`)));
  });
  result.catch(() => undefined); // observed below; a stopped worker must not raise an unhandled rejection
  return { result, stop: () => void worker.terminate() };
}

/**
 * Shares of the seq range [0, count): the calling thread takes the first, larger one because it
 * starts at once, while each worker first spends some tens of milliseconds starting up and
 * opening its own connection.
 */
export function splitRanges(count: number, threads: number): Array<readonly [number, number]> {
  const callerWeight = 1.5;
  const unit = count / (callerWeight + threads - 1);
  const bounds = [0, ...Array.from({ length: threads - 1 }, (_, i) => Math.round(unit * (callerWeight + i))), count];
  return bounds.slice(0, -1).map((from, i) => [from, bounds[i + 1]! - 1] as const).filter(([a, b]) => a <= b);
}

/**
 * Verifies a large ceremony on every core: the calling thread walks the first share of the seq
 * range while worker threads check the others; the shares must join hash to hash and end at the
 * recorded head. Anything less than "all intact" (or a worker that cannot start, e.g. a native
 * module a packaged app cannot load in a worker) falls back to the sequential walk, which names
 * the first bad seq and why.
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
  const running: RunningRange[] = [];
  try {
    const sqlite = createRequire(__filename).resolve('better-sqlite3');
    const count = head.seq + 1;
    const [first, ...rest] = splitRanges(count, threads);
    running.push(...rest.map(([from, to]) => startRange(journal.file, sqlite, ceremonyId, from, to)));
    const own = journal.verifyPrefix(ceremonyId, first![1]);
    if (own.ok && own.count === first![1] + 1) {
      const results = await Promise.all(running.map((r) => r.result));
      const joined = results.every((r, i) => r.ok && r.firstPrev === (i === 0 ? own.head_hash : results[i - 1]!.lastHash));
      const last = results.length > 0 ? results[results.length - 1]!.lastHash : own.head_hash;
      if (joined && last === head.hash && journal.storedCount(ceremonyId) === count) {
        options.onPath?.('parallel', `${running.length + 1} ranges`);
        return { ok: true, count, head_hash: head.hash };
      }
    }
  } catch (error) {
    why = `workers unavailable: ${(error as Error).message}`;
  } finally {
    for (const r of running) r.stop();
  }
  return sequential(why);
}
