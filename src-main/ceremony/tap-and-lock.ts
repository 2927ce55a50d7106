import { describeAppendFailure } from './append-failure';
import { refused, type Refusal } from '../../src-shared/result';
import type { LockStep } from '../../src-shared/ceremony/steps';
import type { EnrolledKey } from '../../src-shared/journal/types';
import { checkpointChallenge } from '../journal/checkpoint-challenge';
import { lowSSignature } from '../../src-shared/encoding/der-ecdsa';
import type { Journal } from '../journal/journal';
import { describeTapFailure, type StepSigner } from './step-signer';

// The I/O half of lock_step, once the ceremony service has decided the step may be locked: the key
// signs the journal head, the signature is appended with the step, and a failed tap is journalled.

type TapRefusal = { ok: false; error: Refusal<'tap-failed'> };

/** Signs the head of `ceremonyId` and appends step_locked; null when locked, else the refusal (tap_failed recorded). */
export async function tapAndLock(
  deps: { journal: Journal; signer: StepSigner; clock: () => Date },
  request: { ceremonyId: string; step: LockStep; allow: EnrolledKey[]; signal: AbortSignal },
): Promise<TapRefusal | null> {
  const { journal } = deps;
  const { ceremonyId, step, allow, signal } = request;
  const head = journal.head(ceremonyId)!;
  const challenge = checkpointChallenge({ ceremony_id: ceremonyId, seq: head.seq, head_hash: head.hash, step });
  try {
    const signed = await deps.signer.sign({ clientDataHash: challenge, allow, signal });
    // One spelling per signature (low-S): the recorded history cannot be respelled by anyone.
    const signature = lowSSignature(signed.signature);
    if (!signature)
      return recordTapFailure(journal, ceremonyId, step, {
        code: 'protocol',
        reason: 'the key returned a signature that is not DER ECDSA',
      });
    const sig = { ...signed, signature };
    const client_data_hash = challenge.toString('hex');
    try {
      journal.appendLocked(
        ceremonyId,
        'step_locked',
        {
          step,
          checkpoint: {
            seq: head.seq,
            head_hash: head.hash,
            credential_id: sig.credential_id,
            sign_count: sig.sign_count,
            client_data_hash,
            signature: sig.signature,
          },
        },
        {
          ceremony_id: ceremonyId,
          seq: head.seq,
          head_hash: head.hash,
          step,
          client_data_hash,
          credential_id: sig.credential_id,
          authenticator_data: sig.authenticator_data,
          signature: sig.signature,
          sign_count: sig.sign_count,
          created_at: deps.clock().toISOString(),
        },
      );
    } catch (error) {
      return recordTapFailure(journal, ceremonyId, step, describeAppendFailure(error));
    }
  } catch (error) {
    return recordTapFailure(journal, ceremonyId, step, describeTapFailure(error));
  }
  return null;
}

function recordTapFailure(
  journal: Journal,
  ceremonyId: string,
  step: LockStep,
  failure: { code: string; reason: string },
): TapRefusal {
  let unrecorded = '';
  try {
    journal.append(ceremonyId, 'tap_failed', {
      step,
      code: failure.code,
      reason: failure.reason || failure.code,
    });
  } catch (error) {
    // The same full disk that stopped the step stops this record: say so rather than throw.
    unrecorded = ` (This failed tap could not be journalled either: ${describeAppendFailure(error).code}.)`;
  }
  return refused(
    'tap-failed',
    `The key tap did not lock "${step}" (${failure.code}): ${failure.reason}. The step stays open; tap again.${unrecorded}`,
  );
}
