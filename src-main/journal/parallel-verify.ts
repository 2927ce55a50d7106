import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { GENESIS_PREV_HASH, type ChainVerdict } from '../../src-shared/journal/types';
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

function verifyRange(file: string, sqlite: string, id: string, from: number, to: number): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlite, id, from, to, sql: HASH_INPUT_PAGE_SQL, pageSize: 5000 } });
    worker.once('message', (r: RangeResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`verification worker exited with ${code}`)));
  });
}

/**
 * Verifies a large ceremony on every core: each worker checks its seq range, the ranges must
 * join hash to hash and end at the recorded head. Anything less than "all intact" (or a worker
 * that cannot start, e.g. a native module a packaged app cannot load in a worker) falls back to
 * the sequential walk, which names the first bad seq and why.
 */
export async function verifyJournalParallel(
  journal: Journal,
  ceremonyId: string,
  options: { workers?: number; onPath?: (path: 'parallel' | 'sequential', why: string) => void } = {},
): Promise<ChainVerdict> {
  const workers = options.workers ?? 2;
  const sequential = (why: string) => {
    options.onPath?.('sequential', why);
    return journal.verify(ceremonyId);
  };
  const head = journal.recordedHead(ceremonyId);
  if (!head || head.seq + 1 < PARALLEL_MIN_ENTRIES || journal.file === ':memory:') return sequential('small journal');
  let why = 'a range is not intact';
  try {
    const sqlite = createRequire(__filename).resolve('better-sqlite3');
    const count = head.seq + 1;
    const size = Math.ceil(count / workers);
    const ranges = Array.from({ length: workers }, (_, i) => [i * size, Math.min(count, (i + 1) * size) - 1] as const).filter(([a, b]) => a <= b);
    const results = await Promise.all(ranges.map(([from, to]) => verifyRange(journal.file, sqlite, ceremonyId, from, to)));
    const joined = results.every((r, i) => r.ok && r.firstPrev === (i === 0 ? GENESIS_PREV_HASH : results[i - 1]!.lastHash));
    if (joined && results[results.length - 1]!.lastHash === head.hash && journal.storedCount(ceremonyId) === count) {
      options.onPath?.('parallel', `${ranges.length} ranges`);
      return { ok: true, count, head_hash: head.hash };
    }
  } catch (error) {
    why = `workers unavailable: ${(error as Error).message}`;
  }
  return sequential(why);
}
