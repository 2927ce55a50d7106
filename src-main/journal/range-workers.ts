import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { HASH_LINE_PAGE_SQL } from './hash-input-sql';
import { intactLine } from './intact-walk';

/** What a worker says about its seq range: intact or not, and the hashes it starts from and ends at. */
export interface RangeResult {
  ok: boolean;
  firstPrev: string | null;
  lastHash: string | null;
}

/** How long an idle worker stays up for the next verification (the status view asks again soon). */
const IDLE_MS = 30_000;
/** Idle workers kept per database file; more than the cores the parallel path uses is waste. */
const MAX_IDLE = 3;

// Plain JS run in a worker thread. It checks one seq range per message through its own read-only
// connection (WAL allows concurrent readers) and says only whether that range is intact, where
// it starts and where it ends. It never explains a failure: the sequential walk does that, so
// there is one source of truth for "the first bad seq and why". Before each job it checks that
// the path is still the file it opened (a journal restored over the old one is a new file), so a
// worker kept warm never vouches for a file that is no longer there.
const WORKER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const { hash } = require('node:crypto');
const { statSync } = require('node:fs');
const Database = require(w.sqlite);
let db = null, page = null, opened = '';
function connect() {
  const st = statSync(w.file);
  const identity = st.dev + ':' + st.ino;
  if (db && identity === opened) return;
  if (db) db.close();
  db = new Database(w.file, { readonly: true, fileMustExist: true });
  page = db.prepare(w.sql).pluck();
  opened = identity;
}
// The loop of walkIntact (intact-walk.ts) over HASH_LINE_PAGE_SQL, with its very check per line.
const intactLine = ${intactLine.toString()};
const sha256Hex = (text) => hash('sha256', text, 'hex');
parentPort.on('message', (job) => {
  let next = job.from, prev = null, firstPrev = null, ok = true;
  try {
    connect();
    while (ok && next <= job.to) {
      const lines = page.all(job.id, next, Math.min(w.pageSize, job.to - next + 1));
      if (lines.length === 0) { ok = false; break; }
      for (const line of lines) {
        const computed = intactLine(line, prev, next, sha256Hex);
        if (computed === null) { ok = false; break; }
        if (firstPrev === null) firstPrev = line.slice(0, 64);
        prev = computed;
        next += 1;
      }
    }
  } catch {
    ok = false;
  }
  parentPort.postMessage({ ok, firstPrev, lastHash: prev });
});
`;

/** One verification worker bound to one database file; one job at a time. */
export class RangeWorker {
  /** false until it has finished a job: a fresh worker first pays thread start-up and a cold JIT. */
  warm = false;
  private readonly worker: Worker;
  private pending: { resolve: (r: RangeResult) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(readonly file: string) {
    const sqlite = createRequire(__filename).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, sqlite, sql: HASH_LINE_PAGE_SQL, pageSize: 1000 } });
    // A worker kept warm must never keep a CLI run or a test process alive.
    this.worker.unref();
    this.worker.on('message', (r: RangeResult) => {
      const p = this.pending;
      this.pending = null;
      this.warm = true;
      p?.resolve(r);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      const p = this.pending;
      this.pending = null;
      p?.reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`verification worker exited with ${code}`)));
  }

  get healthy(): boolean {
    return this.failure === null && this.pending === null;
  }

  check(ceremonyId: string, from: number, to: number): Promise<RangeResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.pending) return Promise.reject(new Error('verification worker is busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ id: ceremonyId, from, to });
    });
  }

  stop(): void {
    this.failure ??= new Error('verification worker stopped');
    void this.worker.terminate();
  }
}

const idle = new Map<string, Array<{ worker: RangeWorker; timer: NodeJS.Timeout }>>();

/** An idle worker for `file` if one is up, otherwise a new one. */
export function acquireRangeWorker(file: string): RangeWorker {
  const entry = idle.get(file)?.pop();
  if (entry) {
    clearTimeout(entry.timer);
    return entry.worker;
  }
  return new RangeWorker(file);
}

/** Hands a worker back after its job; it stays up for a while only if it finished cleanly. */
export function releaseRangeWorker(worker: RangeWorker): void {
  const list = idle.get(worker.file) ?? [];
  if (!worker.healthy || list.length >= MAX_IDLE) {
    worker.stop();
    return;
  }
  const timer = setTimeout(() => {
    const current = idle.get(worker.file);
    const at = current?.findIndex((e) => e.worker === worker) ?? -1;
    if (current && at >= 0) current.splice(at, 1);
    if (current?.length === 0) idle.delete(worker.file);
    worker.stop();
  }, IDLE_MS);
  timer.unref();
  list.push({ worker, timer });
  idle.set(worker.file, list);
}

/** Stops the idle workers of one file (a journal being closed) or of all files. */
export function stopIdleRangeWorkers(file?: string): void {
  for (const [key, list] of idle) {
    if (file !== undefined && key !== file) continue;
    for (const { worker, timer } of list) {
      clearTimeout(timer);
      worker.stop();
    }
    idle.delete(key);
  }
}

/** Idle workers per file, for tests. */
export function idleRangeWorkers(file: string): number {
  return idle.get(file)?.length ?? 0;
}
