import type { Database } from 'better-sqlite3';
import type { AttestationStatement, EnrolledKey } from '../../../src-shared/journal/types';
import { coseToPublicKey } from '../../webauthn/cose-key';
import { decideEnrolmentSlot, isDrillKey } from './enrolment-slot';
import { ok, refused, type Result } from '../../../src-shared/result';
import { strictBase64 } from '../../webauthn/verify-assertion';

interface Row {
  credential_id: string;
  operator: string;
  label: string;
  rp_id: string;
  cose_public_key: string;
  aaguid: string;
  fmt: string;
  att_stmt: string | null;
  enrolment_authenticator_data: string | null;
  enrolment_client_data_hash: string | null;
  enrolled_at: string;
}

/** What makes the key unsavable: anything that could not be verified later. */
function problemOf(key: EnrolledKey): string | undefined {
  if (typeof key.credential_id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(key.credential_id))
    return 'credential_id is not base64url';
  if (typeof key.operator !== 'string' || key.operator.trim() === '') return 'operator is empty';
  if (key.label !== 'primary' && key.label !== 'backup') return 'label must be "primary" or "backup"';
  if (typeof key.rp_id !== 'string' || key.rp_id === '') return 'rp_id is empty';
  try {
    coseToPublicKey(strictBase64(key.cose_public_key, 'cose_public_key'));
  } catch (error) {
    return (error as Error).message;
  }
  if (typeof key.aaguid !== 'string' || !/^[0-9a-f]{32}$/.test(key.aaguid))
    return 'aaguid is not 32 lowercase hex characters';
  if (typeof key.fmt !== 'string' || key.fmt === '') return 'fmt is empty';
  if (key.enrolment_client_data_hash !== null && !/^[0-9a-f]{64}$/.test(key.enrolment_client_data_hash))
    return 'enrolment_client_data_hash is not 32 bytes of hex';
  if (key.enrolment_authenticator_data !== null) {
    try {
      strictBase64(key.enrolment_authenticator_data, 'enrolment_authenticator_data');
    } catch (error) {
      return (error as Error).message;
    }
  }
  if (typeof key.enrolled_at !== 'string' || Number.isNaN(Date.parse(key.enrolled_at)))
    return 'enrolled_at is not a timestamp';
  return undefined;
}

/**
 * Stores the public half of an enrolled credential. Rows are immutable (a trigger refuses edits).
 * A key it cannot store (malformed, enrolled already, its slot taken) is a refusal; nothing is saved.
 */
export function saveEnrolledKey(db: Database, key: EnrolledKey): Result<EnrolledKey> {
  const problem = problemOf(key);
  if (problem !== undefined)
    return refused('invalid-input', `Cannot save the enrolled key: ${problem}. Nothing was saved.`);
  const drill = isDrillKey(key);
  const sameCredential = db.prepare('SELECT 1 FROM enrolled_keys WHERE credential_id = ?').get(key.credential_id);
  if (sameCredential) return refused('already-enrolled', 'This credential is already enrolled. Nothing was saved.');
  const slot = decideEnrolmentSlot(listEnrolledKeys(db, key.operator), {
    operator: key.operator,
    label: key.label,
    drill,
  });
  if (!slot.ok) return refused(slot.error.code, `${slot.error.message} Nothing was saved.`, slot.error);
  db.prepare(
    `
    INSERT INTO enrolled_keys (credential_id, operator, label, rp_id, cose_public_key, aaguid, fmt, att_stmt,
      enrolment_authenticator_data, enrolment_client_data_hash, enrolled_at, drill)
    VALUES (@credential_id, @operator, @label, @rp_id, @cose_public_key, @aaguid, @fmt, @att_stmt,
      @enrolment_authenticator_data, @enrolment_client_data_hash, @enrolled_at, @drill)
  `,
  ).run({ ...key, att_stmt: key.att_stmt === null ? null : JSON.stringify(key.att_stmt), drill: drill ? 1 : 0 });
  return ok(key);
}

export function listEnrolledKeys(db: Database, operator?: string): EnrolledKey[] {
  const rows = (
    operator === undefined
      ? db.prepare('SELECT * FROM enrolled_keys ORDER BY operator, label DESC, enrolled_at').all()
      : db.prepare('SELECT * FROM enrolled_keys WHERE operator = ? ORDER BY label DESC, enrolled_at').all(operator)
  ) as Row[];
  return rows.map((row) => ({
    credential_id: row.credential_id,
    operator: row.operator,
    label: row.label as EnrolledKey['label'],
    rp_id: row.rp_id,
    cose_public_key: row.cose_public_key,
    aaguid: row.aaguid,
    fmt: row.fmt,
    att_stmt: row.att_stmt === null ? null : (JSON.parse(row.att_stmt) as AttestationStatement),
    enrolment_authenticator_data: row.enrolment_authenticator_data,
    enrolment_client_data_hash: row.enrolment_client_data_hash,
    enrolled_at: row.enrolled_at,
  }));
}
