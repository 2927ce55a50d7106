import type { Database } from 'better-sqlite3';
import type { EnrolledKey } from '../../../src-shared/journal/types';

/**
 * The highest signature counter the journal has seen from this credential: its checkpoints and
 * its enrolment. The key service checks each tap against it, so a cloned key that answers with a
 * lower counter is refused at tap time after a restart too, not only later by `verify` (and not
 * only within one bundle). undefined when the key has shown no counter yet.
 */
export function recordedSignCount(
  db: Database,
  key: Pick<EnrolledKey, 'credential_id' | 'enrolment_authenticator_data'>,
): number | undefined {
  const row = highestCheckpointCount(db).get(key.credential_id) as { n: number | null };
  const fromCheckpoints = row.n ?? undefined;
  const fromEnrolment = enrolmentSignCount(key.enrolment_authenticator_data);
  if (fromCheckpoints === undefined) return fromEnrolment;
  return fromEnrolment === undefined ? fromCheckpoints : Math.max(fromCheckpoints, fromEnrolment);
}

const statements = new WeakMap<Database, ReturnType<Database['prepare']>>();

/** Prepared once per database: this runs on every tap. */
function highestCheckpointCount(db: Database) {
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare('SELECT MAX(sign_count) AS n FROM checkpoints WHERE credential_id = ?');
    statements.set(db, statement);
  }
  return statement;
}

/** authenticatorData: rpIdHash (32) | flags (1) | signCount (4, big-endian) | ... */
function enrolmentSignCount(authenticatorData: string | null): number | undefined {
  if (authenticatorData === null) return undefined;
  const bytes = Buffer.from(authenticatorData, 'base64');
  return bytes.length >= 37 ? bytes.readUInt32BE(33) : undefined;
}
