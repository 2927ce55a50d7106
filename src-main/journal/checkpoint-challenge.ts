import { createHash } from 'node:crypto';
import { canonicalize } from '../../src-shared/canonical-json';

export interface CheckpointSubject {
  ceremony_id: string;
  seq: number;
  head_hash: string;
  step: string;
}

/**
 * The 32-byte clientDataHash a key signs to lock a step. It names the ceremony, the head entry
 * and the step, so a signature cannot be moved to another ceremony, head or step.
 */
export function checkpointChallenge(subject: CheckpointSubject): Buffer {
  const { ceremony_id, seq, head_hash, step } = subject;
  return createHash('sha256').update(canonicalize({ ceremony_id, seq, head_hash, step }), 'utf8').digest();
}
