import type { Database } from 'better-sqlite3';
import type { EnrolledKey } from '../../../src-shared/journal/types';
import { refused, type Result } from '../../../src-shared/result';
import { decideEnrolmentSlot } from './enrolment-slot';
import { listEnrolledKeys, saveEnrolledKey } from './enrolment-store';
import { KeyError } from '../../webauthn/key-error';
import type { KeyService } from '../key-service';

export interface EnrolRequest {
  operator: string;
  label: EnrolledKey['label'];
  /** The virtual drill key: it fills the drill slots (enrolment-slot.ts). */
  drill: boolean;
}

/**
 * Enrolment as the app and the CLI both ask for it: the slot rule, one touch, then the key is
 * saved. A refusal (slot taken, no key, not touched, PIN…) is a value with the key layer's own
 * code; the key layer throws its typed KeyError down below, and this is where it becomes one.
 */
export async function enrolOperatorKey(
  db: Database,
  service: Pick<KeyService, 'enrol'>,
  request: EnrolRequest,
): Promise<Result<EnrolledKey>> {
  const existing = listEnrolledKeys(db, request.operator);
  const slot = decideEnrolmentSlot(existing, request);
  if (!slot.ok) return slot;
  let key: EnrolledKey;
  try {
    key = await service.enrol({
      operator: request.operator,
      label: request.label,
      excludeCredentialIds: existing.map((k) => k.credential_id),
    });
  } catch (error) {
    if (error instanceof KeyError) return refused(error.code, error.message);
    throw error;
  }
  return saveEnrolledKey(db, key);
}
