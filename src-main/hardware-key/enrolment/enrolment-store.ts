import type { Database } from 'better-sqlite3';
import type { AttestationStatement, EnrolledKey } from '../../../src-shared/journal/types';
import { coseToPublicKey } from '../../webauthn/cose-key';
import { decideEnrolmentSlot, isDrillKey } from './enrolment-slot';
import { KeyError } from '../../webauthn/key-error';
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

function invalid(what: string): KeyError {
  return new KeyError('invalid-input', `Cannot save the enrolled key: ${what}. Nothing was saved.`);
}

/** Refuses anything that could not be verified later, before it touches the table. */
function validate(key: EnrolledKey): void {
  if (typeof key.credential_id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(key.credential_id))
    throw invalid('credential_id is not base64url');
  if (typeof key.operator !== 'string' || key.operator.trim() === '') throw invalid('operator is empty');
  if (key.label !== 'primary' && key.label !== 'backup') throw invalid('label must be "primary" or "backup"');
  if (typeof key.rp_id !== 'string' || key.rp_id === '') throw invalid('rp_id is empty');
  try {
    coseToPublicKey(strictBase64(key.cose_public_key, 'cose_public_key'));
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (typeof key.aaguid !== 'string' || !/^[0-9a-f]{32}$/.test(key.aaguid))
    throw invalid('aaguid is not 32 lowercase hex characters');
  if (typeof key.fmt !== 'string' || key.fmt === '') throw invalid('fmt is empty');
  if (key.enrolment_client_data_hash !== null && !/^[0-9a-f]{64}$/.test(key.enrolment_client_data_hash))
    throw invalid('enrolment_client_data_hash is not 32 bytes of hex');
  if (key.enrolment_authenticator_data !== null) {
    try {
      strictBase64(key.enrolment_authenticator_data, 'enrolment_authenticator_data');
    } catch (error) {
      throw invalid((error as Error).message);
    }
  }
  if (typeof key.enrolled_at !== 'string' || Number.isNaN(Date.parse(key.enrolled_at)))
    throw invalid('enrolled_at is not a timestamp');
}

/** Stores the public half of an enrolled credential. Rows are immutable (a trigger refuses edits). */
export function saveEnrolledKey(db: Database, key: EnrolledKey): void {
  validate(key);
  const drill = isDrillKey(key);
  const sameCredential = db.prepare('SELECT 1 FROM enrolled_keys WHERE credential_id = ?').get(key.credential_id);
  if (sameCredential) throw new KeyError('already-enrolled', 'This credential is already enrolled. Nothing was saved.');
  const slot = decideEnrolmentSlot(listEnrolledKeys(db, key.operator), {
    operator: key.operator,
    label: key.label,
    drill,
  });
  if (!slot.ok) throw new KeyError(slot.error.code, `${slot.error.message} Nothing was saved.`);
  db.prepare(
    `
    INSERT INTO enrolled_keys (credential_id, operator, label, rp_id, cose_public_key, aaguid, fmt, att_stmt,
      enrolment_authenticator_data, enrolment_client_data_hash, enrolled_at, drill)
    VALUES (@credential_id, @operator, @label, @rp_id, @cose_public_key, @aaguid, @fmt, @att_stmt,
      @enrolment_authenticator_data, @enrolment_client_data_hash, @enrolled_at, @drill)
  `,
  ).run({ ...key, att_stmt: key.att_stmt === null ? null : JSON.stringify(key.att_stmt), drill: drill ? 1 : 0 });
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
