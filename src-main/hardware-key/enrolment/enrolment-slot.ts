import type { EnrolledKey } from '../../../src-shared/journal/types';
import { ok, refused, type Refusal, type Result } from '../../../src-shared/result';
import { VIRTUAL_AAGUID_HEX } from '../../webauthn/virtual-marks';

/** Whether a key is the virtual drill key: it has its own primary/backup slots. */
export function isDrillKey(key: Pick<EnrolledKey, 'aaguid'>): boolean {
  return key.aaguid === VIRTUAL_AAGUID_HEX;
}

export interface SlotRequest {
  operator: string;
  label: EnrolledKey['label'];
  /** The virtual drill key: it fills the drill slots, never the real ones (and the reverse). */
  drill: boolean;
}

export type SlotDecision = Result<true, Refusal<'already-enrolled'>>;

/**
 * The one rule for enrolment slots, asked by the app, the CLI and the store alike: each operator
 * has a primary and a backup slot for real keys and another pair for the drill key, and a filled
 * slot is never replaced in place. `enrolled` may hold anyone's keys; only the operator's count.
 */
export function decideEnrolmentSlot(enrolled: readonly EnrolledKey[], request: SlotRequest): SlotDecision {
  const taken = enrolled.some(
    (k) => k.operator === request.operator && k.label === request.label && isDrillKey(k) === request.drill,
  );
  if (!taken) return ok(true);
  const slot = `${request.drill ? 'drill ' : ''}${request.label}`;
  return refused(
    'already-enrolled',
    `${request.operator} already has a ${slot} key enrolled. Enrolled keys are never replaced in place.`,
    { field: 'label' },
  );
}
