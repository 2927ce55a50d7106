import { builtInConfig } from '../src-shared/config/example-config';
import Database from 'better-sqlite3';
import { createHash, hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportCeremony } from '../src-main/use-cases/export-ceremony';
import { openJournal } from '../src-main/journal/journal';
import { percentile, round, timeMs } from './stats';

const APPENDS = 30_000;
const WARMUP_APPENDS = 300;
const BIG = 100_000;
const VERIFY_ROUNDS = 7;

/** Durable append vs a raw INSERT with the same pragmas on the same disk, interleaved. */
function appendLatency(dir: string) {
  const journal = openJournal({ dataDir: path.join(dir, 'j') });
  const raw = new Database(path.join(dir, 'raw.sqlite3'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(
    'CREATE TABLE entries (ceremony_id TEXT, seq INTEGER, kind TEXT, payload TEXT, recorded_at TEXT, prev_hash TEXT, hash TEXT, PRIMARY KEY (ceremony_id, seq))',
  );
  const insert = raw.prepare('INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)');
  const payload = { text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc', at: '2026-11-21T09:00:00.000Z' };
  const payloadText = JSON.stringify(payload);
  const j: number[] = [];
  const r: number[] = [];
  // Both sides warm up first (JIT, page cache, the first WAL frames), then run interleaved; the
  // steady state is what an operator's ceremony sees after its first few entries.
  for (let i = 0; i < WARMUP_APPENDS + APPENDS; i++) {
    const rawMs = timeMs(() =>
      insert.run(
        'bg-bench-raw',
        i,
        'note',
        payloadText,
        new Date().toISOString(),
        'a'.repeat(64),
        createHash('sha256').update(String(i)).digest('hex'),
      ),
    );
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
    for (let i = 0; i < BIG; i++)
      journal.append(id, i === 0 ? 'ceremony_started' : 'action_logged', {
        text: `ran: aws ec2 describe-instances --instance-ids i-${i.toString(16)}`,
        n: i,
      });
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
    const texts = (
      journal.db
        .prepare(
          'SELECT ceremony_id, seq, kind, payload, recorded_at, prev_hash FROM entries WHERE ceremony_id = ? ORDER BY seq',
        )
        .all(id) as Array<Record<string, string | number>>
    ).map(
      (e) =>
        `{"ceremony_id":${JSON.stringify(e.ceremony_id)},"kind":${JSON.stringify(e.kind)},"payload":${e.payload},"prev_hash":${JSON.stringify(e.prev_hash)},"recorded_at":${JSON.stringify(e.recorded_at)},"seq":${e.seq}}`,
    );
    const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    // The measurements are interleaved, round by round, so that each ratio compares runs made
    // under the same machine load; the median of the rounds is reported. Two baselines over the
    // same bytes: SHA-256 through Node's Hash API (createHash/update/digest, the baseline these
    // figures have always been ratios to, and the target's), and the one-shot crypto.hash(),
    // ~2.5x cheaper per entry at this size, which the verifier itself now uses: the stricter
    // ratio is reported beside each figure.
    const verifyRuns: number[] = [];
    const hashApiRuns: number[] = [];
    const oneShotRuns: number[] = [];
    let verified = true;
    // Each measurement starts from a collected heap (run.mjs passes --expose-gc), so none pays
    // for another's garbage: 100,000 Hash objects left behind cost the next measurement ~20 ms
    // of collection, whichever it is. Each still pays for its own garbage as it goes.
    const settle = () => (globalThis as { gc?: () => void }).gc?.();
    for (let i = 0; i < VERIFY_ROUNDS; i++) {
      settle();
      hashApiRuns.push(timeMs(() => texts.forEach((t) => createHash('sha256').update(t, 'utf8').digest('hex'))));
      settle();
      oneShotRuns.push(timeMs(() => texts.forEach((t) => hash('sha256', t, 'hex'))));
      // What the app's journal view and the CLI run: one thread, the intact path.
      settle();
      verifyRuns.push(timeMs(() => (verified = journal.verify(id).ok && verified)));
    }
    const out = path.join(dir, 'export');
    const exportMs = timeMs(() => {
      if (
        !exportCeremony({ journal, ceremonyId: id, outDir: out, keys: [], now: new Date(), config: builtInConfig() }).ok
      )
        throw new Error('export refused');
    });
    journal.close();
    // The app's first check after start-up: a journal just opened (cold statements and JIT).
    const reopened = openJournal({ dataDir: path.join(dir, 'big') });
    settle();
    const firstMs = timeMs(() => (verified = reopened.verify(id).ok && verified));
    reopened.close();

    const hashApiMs = percentile(hashApiRuns, 50);
    const oneShotMs = percentile(oneShotRuns, 50);
    const paths = {
      // warm: the status view's later checks and the CLI's; first: the first after start-up.
      warm: percentile(verifyRuns, 50),
      first: firstMs,
    };
    const ratios = Object.fromEntries(
      Object.entries(paths).flatMap(([name, ms]) => [
        [`verify_${name}_ms`, round(ms, 1)],
        [`verify_${name}_ratio`, round(hashApiMs / ms, 2)],
        [`verify_${name}_ratio_to_one_shot`, round(oneShotMs / ms, 2)],
      ]),
    );
    const allMeet = Object.values(paths).every((ms) => hashApiMs / ms >= 0.5 && ms < 1000);
    return {
      ...append,
      verify_entries: BIG,
      verify_bytes: bytes,
      verify_ok: verified,
      plain_sha256_hash_api_ms: round(hashApiMs, 1),
      plain_sha256_one_shot_ms: round(oneShotMs, 1),
      ...ratios,
      verify_target: 'every path >= 0.5x of plain SHA-256 (Hash API) and < 1000 ms',
      verify_pass: verified && allMeet,
      export_100k_ms: round(exportMs, 1),
      export_target: '< 2000 ms',
      export_pass: exportMs < 2000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
