import type { Checkpoint, EnrolledKey } from '../../src-shared/journal/types';
import { checkpointChallenge } from '../journal/checkpoint-challenge';
import { verifyAssertion } from '../webauthn/verify-assertion';

export type CheckpointSequenceVerdict =
  /** userVerified[i]: checkpoint i's signed flags carry UV ("touched and PIN-verified"), not only UP ("touched"). */
  | { ok: true; count: number; userVerified: boolean[] }
  | { ok: false; index: number; checkpoint: Checkpoint; reason: string };

/**
 * Checks checkpoints in the order given (journal order): each is signed by an enrolled key, was
 * touched (UP), signs exactly its ceremony/seq/head/step, and every key's signature counter
 * strictly increases. A counter of 0 means "this key has no counter" and is only accepted while
 * the key has never shown a non-zero one (the WebAuthn rule); a cloned key shows up as a counter
 * that goes backwards or repeats.
 */
export function verifyCheckpointSequence(
  checkpoints: readonly Checkpoint[],
  keys: readonly EnrolledKey[],
): CheckpointSequenceVerdict {
  const byId = new Map(keys.map((k) => [k.credential_id, k]));
  const lastCount = new Map<string, number>();
  const userVerified: boolean[] = [];
  for (const [index, checkpoint] of checkpoints.entries()) {
    const fail = (reason: string): CheckpointSequenceVerdict => ({
      ok: false,
      index,
      checkpoint,
      reason: `checkpoint at seq ${checkpoint.seq} (${checkpoint.step}): ${reason}`,
    });
    const key = byId.get(checkpoint.credential_id);
    if (!key) return fail(`signed by ${checkpoint.credential_id.slice(0, 12)}…, which is not an enrolled key`);
    let expected: string;
    try {
      expected = checkpointChallenge(checkpoint).toString('hex');
    } catch (error) {
      return fail(`cannot recompute the challenge (${(error as Error).message})`);
    }
    if (checkpoint.client_data_hash !== expected)
      return fail('client_data_hash does not match the ceremony, seq, head hash and step it claims to lock');
    const verdict = verifyAssertion(key, checkpoint);
    if (!verdict.ok) return fail(verdict.reason);
    if (verdict.signCount !== checkpoint.sign_count)
      return fail(`recorded sign_count ${checkpoint.sign_count} differs from the signed counter ${verdict.signCount}`);
    const previous = lastCount.get(key.credential_id);
    if (previous !== undefined && (previous !== 0 || verdict.signCount !== 0) && verdict.signCount <= previous) {
      return fail(
        `signature counter went from ${previous} to ${verdict.signCount}: counters must strictly increase (possible cloned key)`,
      );
    }
    lastCount.set(key.credential_id, verdict.signCount);
    userVerified.push(verdict.userVerified);
  }
  return { ok: true, count: checkpoints.length, userVerified };
}
