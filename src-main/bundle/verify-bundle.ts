import type { Bundle, EnrolledKey } from '../../src-shared/journal/types';
import { witnessCode } from '../../src-shared/ceremony/witness-code';
import { describeAuthenticator } from '../hardware-key/describe-authenticator';
import { verifyCheckpointSequence } from '../hardware-key/verify-checkpoint-sequence';
import { checkpointBindingProblem, lockWithoutCheckpoint } from '../journal/checkpoint-binding';
import { verifyChain } from '../journal/verify-chain';

export interface BundleVerifyOptions {
  /** Public keys a reviewer pins; when given, a checkpoint by any other key fails. */
  trustedKeys?: readonly EnrolledKey[];
}

export interface CheckpointVerdict {
  seq: number;
  step: string;
  credential_id: string;
  sign_count: number;
  authenticator: string;
}

export interface BundleVerdict {
  ok: boolean;
  /** The first problem, in journal order: entries first, then checkpoints. */
  problem?: { seq: number; reason: string };
  entries: number;
  checkpoints: CheckpointVerdict[];
  keys: Array<{ credential_id: string; operator: string; label: string; authenticator: string; kind: 'hardware' | 'virtual' | 'unknown' }>;
}

/** Verifies a bundle offline: the hash chain against its head, then every key-signed checkpoint. */
export function verifyBundle(bundle: Bundle, options: BundleVerifyOptions = {}): BundleVerdict {
  const keys = bundle.keys.map((k) => ({ credential_id: k.credential_id, operator: k.operator, label: k.label, ...pick(describeAuthenticator(k)) }));
  const base = { entries: bundle.entries.length, checkpoints: [] as CheckpointVerdict[], keys };
  const chain = verifyChain(bundle.ceremony_id, bundle.entries, bundle.head);
  if (!chain.ok) return { ...base, ok: false, problem: { seq: chain.seq, reason: chain.reason } };

  const problem = verifyWitnessCodes(bundle) ?? verifyCheckpoints(bundle, options, base.checkpoints);
  return problem ? { ...base, ok: false, problem } : { ...base, ok: true };
}

function pick(d: { kind: 'hardware' | 'virtual' | 'unknown'; label: string }) {
  return { kind: d.kind, authenticator: d.label };
}

/**
 * The codes read out to the founders were derived from the head at the time; recompute them.
 * A founder's written-down code can then be compared with what the bundle says it was.
 */
function verifyWitnessCodes(bundle: Bundle): { seq: number; reason: string } | undefined {
  for (const e of bundle.entries) {
    if (e.kind !== 'founder_notified') continue;
    const { witness_seq: seq, witness_head_hash: hash, witness_code: code } = e.payload;
    if (typeof seq !== 'number' || typeof hash !== 'string' || typeof code !== 'string') continue;
    const head = bundle.entries[seq];
    if (!head || head.hash !== hash || seq >= e.seq) return { seq: e.seq, reason: `the witness code recorded at seq ${e.seq} names head seq ${seq}, which is not that entry` };
    if (witnessCode({ seq, hash }).text !== code) return { seq: e.seq, reason: `the witness code recorded at seq ${e.seq} ("${code}") is not the code of head seq ${seq}` };
  }
  return undefined;
}

/**
 * Binds every checkpoint to this bundle's chain (it signs the entry at its seq, and the next
 * entry is the step_locked that records it), then checks the signatures, touch flags and
 * sign counters with the hardware-key verifier, against the pinned keys when there are any.
 */
function verifyCheckpoints(bundle: Bundle, options: BundleVerifyOptions, out: CheckpointVerdict[]): { seq: number; reason: string } | undefined {
  const byCredential = new Map(bundle.keys.map((k) => [k.credential_id, k]));
  const trusted = options.trustedKeys ? new Map(options.trustedKeys.map((k) => [k.credential_id, k])) : undefined;
  const checkpoints = [...bundle.checkpoints].sort((a, b) => a.seq - b.seq);
  const signedSeqs = new Set<number>();

  for (const cp of checkpoints) {
    const fail = (reason: string) => ({ seq: cp.seq, reason: `checkpoint "${cp.step}" at seq ${cp.seq}: ${reason}` });
    const unbound = checkpointBindingProblem(bundle.ceremony_id, cp, (seq) => bundle.entries[seq], signedSeqs);
    if (unbound) return fail(unbound);
    const key = byCredential.get(cp.credential_id);
    if (!key) return fail(`signed by credential ${short(cp.credential_id)}, which is not among the bundle's keys`);
    if (trusted) {
      const pinned = trusted.get(cp.credential_id);
      if (!pinned || pinned.cose_public_key !== key.cose_public_key) return fail(`signed by credential ${short(cp.credential_id)}, which is not a trusted key`);
    }
  }

  const crypto = verifyCheckpointSequence(checkpoints, options.trustedKeys ?? bundle.keys);
  if (!crypto.ok) return { seq: crypto.checkpoint.seq, reason: crypto.reason };
  for (const cp of checkpoints) {
    out.push({ seq: cp.seq, step: cp.step, credential_id: cp.credential_id, sign_count: cp.sign_count, authenticator: describeAuthenticator(byCredential.get(cp.credential_id)!).label });
  }

  return lockWithoutCheckpoint(bundle.entries, signedSeqs);
}

function short(id: string): string {
  return id.length > 12 ? `${id.slice(0, 12)}…` : id;
}

