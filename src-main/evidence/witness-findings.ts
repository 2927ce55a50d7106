import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import {
  normaliseWitness,
  witnessCode,
  witnessFromSignature,
  type WitnessCode,
} from '../../src-shared/ceremony/witness-code';
import type { Bundle, Checkpoint } from '../../src-shared/journal/types';
import type { EvidenceReport } from './verify-evidence';
import type { Finding } from './verdict';

/**
 * Every code a founder_notified entry says was read out must be the code of the lock it names,
 * recomputed here from the checkpoint's signature (format 1: from the head hash), and every
 * founder was given the same one. The codes the founders wrote down (`--witness`) must each be
 * the notify or the final code: a rewritten history would need a new signature for each, and a
 * matching one costs about 2^32 touches of the key.
 */
export function witnessFindings(
  bundle: Bundle,
  checkpoints: readonly Checkpoint[],
  state: CeremonyState | null,
  written: readonly string[],
): { findings: Finding[]; report: EvidenceReport['witnesses'] } {
  const findings: Finding[] = [];
  const fail = (seq: number | null, reason: string) => findings.push({ verdict: 'TAMPERED', seq, reason });
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  let notify: WitnessCode | null = null;
  // Indexed: an iterator over 100,000 running-log lines leaves a result object per line behind.
  const entries = bundle.entries;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.kind !== 'founder_notified') continue;
    const { witness_seq: seq, witness_head_hash: hash, witness_code: code, witness_from: from } = e.payload;
    if (
      typeof seq !== 'number' ||
      typeof hash !== 'string' ||
      typeof code !== 'string' ||
      (from !== undefined && from !== 'signature')
    ) {
      fail(e.seq, `founder_notified at seq ${e.seq} has malformed witness fields`);
      continue;
    }
    let expected: WitnessCode | null = null;
    if (seq >= e.seq) expected = null;
    else if (from === 'signature') {
      const cp = bySeq.get(seq);
      expected =
        cp && cp.head_hash === hash ? witnessFromSignature({ seq, head_hash: hash, signature: cp.signature }) : null;
    } else if (bundle.entries[seq]?.hash === hash) expected = witnessCode({ seq, hash });
    if (!expected) {
      fail(
        e.seq,
        `the witness code recorded at seq ${e.seq} names ${from === 'signature' ? 'a key tap' : 'a head'} at seq ${seq} that is not in this history`,
      );
      continue;
    }
    if (expected.text !== code) {
      fail(
        e.seq,
        `the witness code recorded at seq ${e.seq} ("${code}") is not the code of the ${from === 'signature' ? 'key tap' : 'head'} at seq ${seq}`,
      );
      continue;
    }
    if (from !== 'signature')
      findings.push({
        verdict: 'INCOMPLETE',
        seq: e.seq,
        reason: `the witness code at seq ${e.seq} is format 1 (from the head hash): it does not resist the key holder`,
      });
    if (notify && notify.text !== expected.text)
      findings.push({
        verdict: 'RULES BROKEN',
        seq: e.seq,
        reason: `founders were given different witness codes ("${notify.text}" and "${expected.text}")`,
      });
    notify ??= expected;
  }
  const final = state?.witness.final ?? null;
  const checked = written.map((w) => {
    const n = normaliseWitness(w);
    const matched =
      notify && n === normaliseWitness(notify.text)
        ? ('notify' as const)
        : final && n === normaliseWitness(final.text)
          ? ('final' as const)
          : null;
    if (!matched)
      fail(
        null,
        `the witness code "${w}" the founders wrote down matches neither the notify code nor the final code of this history`,
      );
    return { written: w, matched };
  });
  return { findings, report: { notify, final, checked } };
}
