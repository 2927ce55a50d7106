import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readReconcileInputs } from '../src-main/reconcile/read-inputs';
import { reconcile } from '../src-main/reconcile/reconcile';
import { rootLoginSteps, verifiedFixture, writeBundle } from '../test/main/reconcile/support/ceremony-journal';
import { recordsOf } from '../test/main/reconcile/support/trail-records';
import { percentile, round } from './stats';

const TARGET_BYTES = 100 * 1024 * 1024;
const ROUNDS = 3;
const TIME_TARGET = 3;
const MEMORY_TARGET = 3;

/**
 * 100 MB of CloudTrail (the trail log; its lookup-events twin is larger) in the two shapes reconcile reads most (lookup-events and a trail log
 * file with the same events): the records of the fixtures, repeated with fresh ids and times
 * across the day, mostly other principals, ~1% the ceremony's root in its window.
 */
function generate(dir: string): { lookup: string; trail: string } {
  const base = [
    ...recordsOf('root-session-page1.json'),
    ...recordsOf('root-session-page2.json'),
    ...recordsOf('role-session.json'),
  ];
  const records: string[] = [];
  const wrappers: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < TARGET_BYTES; i++) {
    const r = structuredClone(base[i % base.length]) as unknown as Record<string, unknown>;
    const id = `${(i >>> 0).toString(16).padStart(8, '0')}-b3c4-4d5e-8f60-${String(i).padStart(12, '0')}`;
    const inWindow = i % 100 === 0;
    const t = new Date(
      Date.parse('2026-05-20T00:00:00Z') + (inWindow ? 13 * 3600_000 + (i % 2400) * 1000 : (i * 997) % 86_400_000),
    )
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    r.eventID = id;
    r.eventTime = t;
    if (!inWindow)
      r.userIdentity = {
        type: 'AssumedRole',
        arn: `arn:aws:sts::039624954211:assumed-role/app-${i % 50}/session-${i % 7}`,
        accountId: '039624954211',
        accessKeyId: `ASIA${String(i % 9999).padStart(16, '0')}`,
      };
    const text = JSON.stringify(r);
    records.push(text);
    wrappers.push(
      JSON.stringify({
        EventId: id,
        EventName: r.eventName,
        ReadOnly: String(r.readOnly ?? false),
        EventTime: t,
        EventSource: r.eventSource,
        Username: 'x',
        Resources: [],
        CloudTrailEvent: text,
      }),
    );
    bytes += text.length + 1; // the trail log reaches 100 MB; lookup-events, escaped, is larger
  }
  const lookup = path.join(dir, 'lookup-events.json');
  writeFileSync(lookup, `{\n  "Events": [\n    ${wrappers.join(',\n    ')}\n  ]\n}\n`);
  const trail = path.join(dir, 'trail-log.json');
  writeFileSync(trail, `{"Records":[${records.join(',')}]}`);
  return { lookup, trail };
}

/** One measurement in a fresh process, so the peak memory belongs to that one job. */
function worker(mode: string, file: string, bundle: string): { ms: number; peakBytes: number } {
  const before = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  if (mode === 'parse') {
    JSON.parse(readFileSync(file, 'utf8'));
  } else {
    reconcile(readReconcileInputs({ bundle: verifiedFixture(bundle), cloudtrail: [file] }));
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, peakBytes: process.resourceUsage().maxRSS * 1024 - before };
}

function measure(mode: string, file: string, bundle: string): { ms: number; peakBytes: number } {
  const out = execFileSync(process.execPath, [process.argv[1] as string], {
    env: { ...process.env, BG_RECONCILE_WORKER: JSON.stringify({ mode, file, bundle }) },
    maxBuffer: 1024 * 1024,
  }).toString();
  const line = out.split('\n').find((l) => l.startsWith('@@RESULT ')) as string;
  return JSON.parse(line.slice('@@RESULT '.length)) as { ms: number; peakBytes: number };
}

/**
 * reconcile (read + parse + match) of a 100 MB CloudTrail file against JSON.parse of the same
 * bytes (read as text), each in its own process, rounds interleaved, medians. Peak memory is the
 * process's maximum RSS above its RSS before reading, against the file size.
 */
export async function run(): Promise<Record<string, unknown>> {
  if (process.env.BG_RECONCILE_WORKER) {
    const { mode, file, bundle } = JSON.parse(process.env.BG_RECONCILE_WORKER) as {
      mode: string;
      file: string;
      bundle: string;
    };
    return worker(mode, file, bundle);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'breakglass-bench-reconcile-'));
  try {
    const bundle = writeBundle(dir, 'bench-root', rootLoginSteps());
    const files = generate(dir);
    const result: Record<string, unknown> = {};
    for (const [shape, file] of Object.entries(files)) {
      const size = statSync(file).size;
      const parse: number[] = [];
      const rec: number[] = [];
      const mem: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        parse.push(measure('parse', file, bundle).ms);
        const m = measure('reconcile', file, bundle);
        rec.push(m.ms);
        mem.push(m.peakBytes);
      }
      const timeRatio = percentile(rec, 50) / percentile(parse, 50);
      const memRatio = percentile(mem, 50) / size;
      result[`${shape} file MB`] = round(size / 1024 / 1024, 1);
      result[`${shape} JSON.parse ms (median)`] = round(percentile(parse, 50), 0);
      result[`${shape} reconcile ms (median)`] = round(percentile(rec, 50), 0);
      result[`${shape} time ratio (target <= ${TIME_TARGET})`] = round(timeRatio, 2);
      result[`${shape} peak memory / file size (target <= ${MEMORY_TARGET})`] = round(memRatio, 2);
      result[`${shape} pass`] = timeRatio <= TIME_TARGET && memRatio <= MEMORY_TARGET;
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
