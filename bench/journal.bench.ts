import Database from 'better-sqlite3';
import { createHash, hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { availableParallelism } from 'node:os';
import path from 'node:path';
import { exportCeremony } from '../src-main/bundle/export-ceremony';
import { openJournal } from '../src-main/journal/journal';
import { prewarmVerification, verifyJournalParallel } from '../src-main/journal/parallel-verify';
import { percentile, round, timeMs } from './stats';

const APPENDS = 3000;
const WARMUP_APPENDS = 300;
const BIG = 100_000;
const VERIFY_ROUNDS = 7;

/** Durable append vs a raw INSERT with the same pragmas on the same disk, interleaved. */
function appendLatency(dir: string) {
  const journal = openJournal({ dataDir: path.join(dir, 'j') });
  const raw = new Database(path.join(dir, 'raw.sqlite3'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE entries (ceremony_id TEXT, seq INTEGER, kind TEXT, payload TEXT, recorded_at TEXT, prev_hash TEXT, hash TEXT, PRIMARY KEY (ceremony_id, seq))');
  const insert = raw.prepare('INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)');
  const payload = { text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc', at: '2026-11-21T09:00:00.000Z' };
  const payloadText = JSON.stringify(payload);
  const j: number[] = [];
  const r: number[] = [];
  // Both sides warm up first (JIT, page cache, the first WAL frames), then run interleaved; the
  // steady state is what an operator's ceremony sees after its first few entries.
  for (let i = 0; i < WARMUP_APPENDS + APPENDS; i++) {
    const rawMs = timeMs(() => insert.run('bg-bench-raw', i, 'note', payloadText, new Date().toISOString(), 'a'.repeat(64), createHash('sha256').update(String(i)).digest('hex')));
    const journalMs = timeMs(() => journal.append('bg-bench-journal', 'note', payload));
    if (i < WARMUP_APPENDS) continue;
    r.push(rawMs);
    j.push(journalMs);
  }
  journal.close();
  raw.close();
  const median = percentile(j, 50) / percentile(r, 50);
  const p99 = percentile(j, 99) / percentile(r, 99);
  return {
    append_median_ms: round(percentile(j, 50)),
    append_p99_ms: round(percentile(j, 99)),
    raw_insert_median_ms: round(percentile(r, 50)),
    raw_insert_p99_ms: round(percentile(r, 99)),
    append_ratio_median: round(median, 2),
    append_ratio_p99: round(p99, 2),
    append_target: '<= 1.3x',
    append_pass: median <= 1.3 && p99 <= 1.3,
  };
}

function bigJournal(dir: string) {
  const journal = openJournal({ dataDir: path.join(dir, 'big') });
  // Building the fixture does not need durability; the measurements below do not write.
  journal.db.pragma('synchronous = OFF');
  const id = 'bg-bench-100k';
  journal.db.transaction(() => {
    for (let i = 0; i < BIG; i++) journal.append(id, i === 0 ? 'ceremony_started' : 'action_logged', { text: `ran: aws ec2 describe-instances --instance-ids i-${i.toString(16)}`, n: i });
  })();
  journal.db.pragma('synchronous = FULL');
  // A journal at rest: its WAL checkpointed into the database file, as SQLite does on its own
  // every 1000 pages and on close. (Measuring reads through a 27 MB WAL would measure the fixture.)
  journal.db.pragma('wal_checkpoint(TRUNCATE)');
  return { journal, id };
}

export async function run() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'breakglass-bench-'));
  try {
    const append = appendLatency(dir);
    const { journal, id } = bigJournal(dir);
    // The exact bytes the verifier hashes, for the baseline.
    const texts = (journal.db.prepare('SELECT ceremony_id, seq, kind, payload, recorded_at, prev_hash FROM entries WHERE ceremony_id = ? ORDER BY seq').all(id) as Array<Record<string, string | number>>).map(
      (e) => `{"ceremony_id":${JSON.stringify(e.ceremony_id)},"kind":${JSON.stringify(e.kind)},"payload":${e.payload},"prev_hash":${JSON.stringify(e.prev_hash)},"recorded_at":${JSON.stringify(e.recorded_at)},"seq":${e.seq}}`,
    );
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    // The three measurements are interleaved, round by round, so that each ratio compares runs
    // made under the same machine load; the median of the rounds is reported.
    const verifyRuns: number[] = [];
    const sequentialRuns: number[] = [];
    const shaRuns: number[] = [];
    const streamingRuns: number[] = [];
    let verified = true;
    for (let i = 0; i < VERIFY_ROUNDS; i++) {
      // The baseline is the fastest plain SHA-256 Node's crypto offers for inputs this small, the
      // one-shot hash(); the Hash-object API (createHash) costs ~3x more per entry and is reported
      // alongside, since earlier figures were ratios to it.
      shaRuns.push(timeMs(() => texts.forEach((t) => hash('sha256', t, 'hex'))));
      streamingRuns.push(timeMs(() => texts.forEach((t) => createHash('sha256').update(t, 'utf8').digest('hex'))));
      // What the app runs to show a journal's status: on every core for a journal this size.
      const t = performance.now();
      verified = (await verifyJournalParallel(journal, id)).ok && verified;
      verifyRuns.push(performance.now() - t);
      sequentialRuns.push(timeMs(() => (verified = journal.verify(id).ok && verified)));
    }
    const verifyMs = percentile(verifyRuns, 50);
    const sequentialMs = percentile(sequentialRuns, 50);
    const shaMs = percentile(shaRuns, 50);
    const out = path.join(dir, 'export');
    const exportMs = timeMs(() => exportCeremony({ journal, ceremonyId: id, outDir: out, keys: [], now: new Date() }));
    journal.close();
    // The app's first check: the journal opens, prewarmVerification starts the worker, and the
    // window asks for the status once it has loaded (the prewarm has finished by then).
    const reopened = openJournal({ dataDir: path.join(dir, 'big') });
    await prewarmVerification(reopened);
    const firstStart = performance.now();
    verified = (await verifyJournalParallel(reopened, id)).ok && verified;
    const firstAfterPrewarmMs = performance.now() - firstStart;
    reopened.close();
    const throughput = shaMs / verifyMs;
    return {
      ...append,
      verify_entries: BIG,
      verify_bytes: bytes,
      verify_ok: verified,
      verify_threads: availableParallelism(),
      verify_ms: round(verifyMs, 1),
      // The first round starts its worker thread cold; later rounds reuse it, as the app's status view does.
      verify_first_cold_ms: round(verifyRuns[0]!, 1),
      verify_first_cold_ratio: round(shaRuns[0]! / verifyRuns[0]!, 2),
      verify_first_after_prewarm_ms: round(firstAfterPrewarmMs, 1),
      verify_first_after_prewarm_ratio: round(shaMs / firstAfterPrewarmMs, 2),
      verify_sequential_ms: round(sequentialMs, 1),
      verify_sequential_ratio: round(shaMs / sequentialMs, 2),
      plain_sha256_ms: round(shaMs, 1),
      plain_sha256_create_hash_ms: round(percentile(streamingRuns, 50), 1),
      verify_ratio_to_create_hash: round(percentile(streamingRuns, 50) / verifyMs, 2),
      verify_sequential_ratio_to_create_hash: round(percentile(streamingRuns, 50) / sequentialMs, 2),
      verify_throughput_ratio: round(throughput, 2),
      verify_target: '>= 0.5x of plain one-shot SHA-256 and < 1000 ms',
      verify_pass: verified && throughput >= 0.5 && verifyMs < 1000,
      export_100k_ms: round(exportMs, 1),
      export_target: '< 2000 ms',
      export_pass: exportMs < 2000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
