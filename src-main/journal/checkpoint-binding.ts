import type { JsonObject } from '../../src-shared/canonical-json';
import type { Checkpoint } from '../../src-shared/journal/types';

/** What binding a checkpoint needs of an entry: where it is, what it is and its hash. */
export interface BoundEntry {
  seq: number;
  kind: string;
  hash: string;
  payload: JsonObject;
}

/**
 * Why a checkpoint is not bound to this chain, or undefined when it is: it must belong to the
 * ceremony, be the only one signing its head, sign the entry at its seq (head_hash), and be
 * recorded by the step_locked entry right after it (appendLocked writes the two together).
 * `signedSeqs` collects the heads signed so far, for a second checkpoint and for lockWithoutCheckpoint.
 * The bundle verifier and the journal's own read-back both use this, so they bind alike.
 */
export function checkpointBindingProblem(
  ceremonyId: string,
  cp: Checkpoint,
  entryAt: (seq: number) => BoundEntry | undefined,
  signedSeqs: Set<number>,
): string | undefined {
  if (cp.ceremony_id !== ceremonyId) return `belongs to ceremony ${cp.ceremony_id}`;
  if (signedSeqs.has(cp.seq)) return 'a second checkpoint signs the same head';
  signedSeqs.add(cp.seq);
  const head = entryAt(cp.seq);
  if (!head || head.hash !== cp.head_hash)
    return 'it does not sign the entry at that seq (the journal was rewritten after the tap)';
  const lock = entryAt(cp.seq + 1);
  const recorded = lock?.payload.checkpoint as Record<string, unknown> | undefined;
  if (
    !lock ||
    lock.kind !== 'step_locked' ||
    lock.payload.step !== cp.step ||
    recorded?.client_data_hash !== cp.client_data_hash
  ) {
    return 'the journal has no step_locked entry right after it that records this tap';
  }
  return undefined;
}

/** A step_locked entry with no checkpoint on the head before it: its signature was removed. */
export function lockWithoutCheckpoint(
  locks: readonly BoundEntry[],
  signedSeqs: ReadonlySet<number>,
): { seq: number; reason: string } | undefined {
  // Indexed: the verifier passes every entry of a bundle, and an iterator leaves garbage per entry.
  for (let i = 0; i < locks.length; i++) {
    const entry = locks[i]!;
    if (entry.kind === 'step_locked' && !signedSeqs.has(entry.seq - 1)) {
      return {
        seq: entry.seq,
        reason: `step_locked "${String(entry.payload.step)}" at seq ${entry.seq} has no checkpoint: a signature was removed`,
      };
    }
  }
  return undefined;
}
