import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { reconcile } from '../../../../src-main/reconcile/reconcile';
import { readReconcileInputs, type ReconcileFiles } from '../../../../src-main/reconcile/read-inputs';
import { fixture, verifiedFixture, writeBundle, type Step } from './ceremony-journal';

export type TrailRecord = Record<string, unknown> & { eventID: string; eventName: string; eventTime: string };

/** The CloudTrail records of a fixture, whatever its shape (lookup-events, trail log, .gz). */
export function recordsOf(name: string): TrailRecord[] {
  let bytes = readFileSync(fixture('cloudtrail', name));
  if (bytes[0] === 0x1f) bytes = gunzipSync(bytes);
  const json = JSON.parse(bytes.toString('utf8')) as {
    Events?: Array<{ CloudTrailEvent: string }>;
    Records?: TrailRecord[];
  };
  if (json.Events) return json.Events.map((e) => JSON.parse(e.CloudTrailEvent) as TrailRecord);
  return json.Records ?? [];
}

/** One record of a fixture by eventName (and index among those), deep-copied. */
export function recordOf(name: string, eventName: string, index = 0): TrailRecord {
  const found = recordsOf(name).filter((r) => r.eventName === eventName)[index];
  if (!found) throw new Error(`${name} has no ${eventName} #${index}`);
  return structuredClone(found);
}

let counter = 0;
/**
 * A copy of a real record with the given fields changed and a fresh eventID: how the tests
 * build cases no public record shows (each test says which fields it changed).
 */
export function edited(base: TrailRecord, changes: Record<string, unknown>): TrailRecord {
  counter++;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return { ...structuredClone(base), eventID: id, ...changes } as TrailRecord;
}

export function writeTrailLog(
  dir: string,
  name: string,
  records: readonly TrailRecord[],
  options: { gzip?: boolean } = {},
): string {
  const file = path.join(dir, name);
  const text = JSON.stringify({ Records: records });
  writeFileSync(file, options.gzip ? gzipSync(Buffer.from(text)) : text);
  return file;
}

/** Writes the journal and runs the reconciler over the given CloudTrail files. */
export function reconcileSteps(dir: string, id: string, steps: readonly Step[], files: Omit<ReconcileFiles, 'bundle'>) {
  return reconcile(readReconcileInputs({ bundle: verifiedFixture(writeBundle(dir, id, steps)), ...files }));
}
