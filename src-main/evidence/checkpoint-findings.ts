import type { Bundle, Checkpoint, EnrolledKey } from '../../src-shared/journal/types';
import { checkpointBindingProblem, lockWithoutCheckpoint } from '../journal/checkpoint-binding';
import type { Finding } from './verdict';
import { isLowSSignature } from '../../src-shared/encoding/der-ecdsa';

/** The checkpoint fields a step_locked entry records; each must equal its checkpoint's. */
const RECORDED = ['seq', 'head_hash', 'credential_id', 'sign_count', 'client_data_hash'] as const;

/**
 * Binds every checkpoint to the chain: it signs the entry at its seq, the next entry is its
 * step_locked, which records exactly this checkpoint (every field, the signature too when the
 * lock recorded one), and, when keys are pinned, the signer is a pinned key with the same public
 * key. Returns the last seq a signature covers: the lock entry after the latest checkpoint.
 */
export function checkpointFindings(
  bundle: Bundle,
  checkpoints: readonly Checkpoint[],
  pinned: ReadonlyMap<string, EnrolledKey> | undefined,
): { findings: Finding[]; signedThrough: number } {
  const findings: Finding[] = [];
  const signedSeqs = new Set<number>();
  let signedThrough = -1;
  /** Locks recorded before format 2: the signature is not in the chain, so witness codes cannot come from it. */
  const unrecorded: number[] = [];
  const entryAt = (seq: number) => bundle.entries[seq];
  for (const cp of checkpoints) {
    const fail = (reason: string) =>
      findings.push({
        verdict: 'TAMPERED',
        seq: cp.seq,
        reason: `checkpoint "${cp.step}" at seq ${cp.seq}: ${reason}`,
      });
    const unbound = checkpointBindingProblem(bundle.ceremony_id, cp, entryAt, signedSeqs);
    if (unbound) {
      fail(unbound);
      continue;
    }
    const recorded = bundle.entries[cp.seq + 1]!.payload.checkpoint as Record<string, unknown>;
    const differs: string[] = RECORDED.filter((f) => recorded[f] !== cp[f]);
    if (recorded.signature !== undefined && recorded.signature !== cp.signature) differs.push('signature');
    if (differs.length) {
      fail(`its step_locked entry records another ${differs.join(', ')}`);
      continue;
    }
    if (recorded.signature === undefined) unrecorded.push(cp.seq + 1);
    else if (!isLowSSignature(cp.signature)) {
      fail('its signature is not in its one (low-S, strict DER) spelling: it was respelled after the tap');
      continue;
    }
    const key = bundle.keys.find((k) => k.credential_id === cp.credential_id);
    if (!key) {
      fail(`signed by credential ${cp.credential_id.slice(0, 12)}…, which is not among the bundle's keys`);
      continue;
    }
    if (pinned) {
      const pin = pinned.get(cp.credential_id);
      if (!pin || pin.cose_public_key !== key.cose_public_key || pin.rp_id !== key.rp_id) {
        fail(`signed by credential ${cp.credential_id.slice(0, 12)}…, which is not a pinned key`);
        continue;
      }
    }
    signedThrough = Math.max(signedThrough, cp.seq + 1);
  }
  const orphan = lockWithoutCheckpoint(bundle.entries, signedSeqs);
  if (orphan) findings.push({ verdict: 'TAMPERED', ...orphan });
  if (unrecorded.length) {
    findings.push({
      verdict: 'INCOMPLETE',
      seq: unrecorded[0]!,
      reason: `${unrecorded.length} lock(s) (seq ${unrecorded.join(', ')}) do not record their signature (format 1): their witness codes come from hashes the key holder can grind, so they cannot vouch for this history`,
    });
  }
  return { findings, signedThrough };
}
