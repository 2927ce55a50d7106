import type { BreakglassConfig } from '../../src-shared/config/schema';
import { historyRuleFindings } from '../../src-shared/ceremony/history-rules';
import type { CeremonyState } from '../../src-shared/ceremony/state-types';
import type { WitnessCode } from '../../src-shared/ceremony/witness-code';
import type { Bundle, Checkpoint, EnrolledKey } from '../../src-shared/journal/types';
import { describeAuthenticator, type AuthenticatorKind } from '../webauthn/describe-authenticator';
import { verifyCheckpointSequence } from './verify-checkpoint-sequence';
import { verifyWithEntryHashes, verifyWithPayloadTexts } from '../journal/verify-chain';
import { checkpointFindings } from './checkpoint-findings';
import { credentialIdProblem, duplicateCredential } from './credential-id';
import type { ParsedBundle } from './parse-bundle';
import type { TrustList } from './trust-file';
import { verdictOf, type Finding, type Verdict } from './verdict';
import { witnessFindings } from './witness-findings';

export interface EvidenceOptions {
  /** The reviewer's pinned keys (`breakglass key export-trust`); without them origin is not verified. */
  trust?: TrustList;
  /** The codes the founders wrote down, as they wrote them. */
  witnesses?: readonly string[];
  /** The runbook configuration the rules are checked against (founders, accounts, role). */
  config: BreakglassConfig;
  /** The verifier's clock: no entry may be recorded after it. */
  now: Date;
}

export interface CheckpointReport {
  seq: number;
  step: string;
  credential_id: string;
  sign_count: number;
  authenticator: string;
  /** From the signed authenticator data: 'touched and PIN-verified' when the UV flag is set. */
  presence: 'touched' | 'touched and PIN-verified';
}

export interface KeyReport {
  credential_id: string;
  /** From the pinned record when pinned; otherwise the bundle's own claim. */
  operator: string;
  label: string;
  authenticator: string;
  kind: AuthenticatorKind;
  pinned: boolean;
}

export interface EvidenceReport {
  verdict: Verdict;
  findings: Finding[];
  bundle: Bundle;
  /** From the signed ceremony_started entry, never from the file's top-level flag. */
  drill: boolean;
  pinned: { fingerprint: string } | null;
  checkpoints: CheckpointReport[];
  keys: KeyReport[];
  /** Entries no key tap signs (after the last one), listed, never shown as evidence. */
  unsigned: { from: number; to: number } | null;
  witnesses: {
    notify: WitnessCode | null;
    final: WitnessCode | null;
    checked: Array<{ written: string; matched: 'notify' | 'final' | null }>;
  };
  /** The ceremony as the state machine derives it (signed entries only are facts). */
  state: CeremonyState | null;
}

/**
 * The one verifier of a ceremony's evidence: export, `verify`, `reconcile`, the postmortem and the
 * quarterly review all read a bundle through it. In order: strict format (parse-bundle.ts), the
 * chain against the head, every checkpoint (binding, recorded fields, signature, counters, pins),
 * the runbook's rules by replaying the state machine, witness codes, then completeness.
 */
export function verifyEvidence(parsed: ParsedBundle, options: EvidenceOptions): EvidenceReport {
  const bundle = parsed.bundle;
  const findings: Finding[] = [];
  const tampered = (seq: number | null, reason: string) => findings.push({ verdict: 'TAMPERED', seq, reason });
  const signedDrill = bundle.entries[0]?.kind === 'ceremony_started' && bundle.entries[0].payload.drill === true;
  const report: EvidenceReport = {
    verdict: 'TAMPERED',
    findings,
    bundle,
    drill: signedDrill,
    pinned: options.trust ? { fingerprint: options.trust.fingerprint } : null,
    checkpoints: [],
    keys: [],
    unsigned: null,
    witnesses: { notify: null, final: null, checked: [] },
    state: null,
  };
  const done = () => ({ ...report, verdict: verdictOf(findings, signedDrill) });

  if (!parsed.ok) {
    tampered(parsed.seq, parsed.reason);
    return done();
  }
  const chain =
    'entryHashes' in parsed
      ? verifyWithEntryHashes(bundle.ceremony_id, bundle.entries, parsed.entryHashes, bundle.head, parsed.plainLogLines)
      : verifyWithPayloadTexts(bundle.ceremony_id, bundle.entries, parsed.payloadTexts, bundle.head);
  if (!chain.ok) {
    tampered(chain.seq, chain.reason);
    return done();
  }
  if (bundle.drill !== signedDrill) {
    tampered(
      0,
      `the file's top-level "drill": ${bundle.drill} contradicts the signed ceremony_started (drill: ${signedDrill})`,
    );
  }

  const keyProblem =
    bundle.keys.map((k) => credentialIdProblem(k.credential_id)).find(Boolean) ??
    duplicateCredential(bundle.keys.map((k) => k.credential_id));
  if (keyProblem) {
    tampered(null, `keys: ${keyProblem}`);
    return done();
  }
  const pinnedById = new Map((options.trust?.keys ?? []).map((k) => [k.credential_id, k]));
  const keyFor = (id: string): EnrolledKey | undefined =>
    options.trust ? pinnedById.get(id) : bundle.keys.find((k) => k.credential_id === id);
  report.keys = bundle.keys.map((k) => {
    const pinned = pinnedById.get(k.credential_id);
    const record = pinned && pinned.cose_public_key === k.cose_public_key ? pinned : undefined;
    const d = describeAuthenticator(record ?? k);
    return {
      credential_id: k.credential_id,
      operator: (record ?? k).operator,
      label: (record ?? k).label,
      authenticator: d.label,
      kind: d.kind,
      pinned: !!record,
    };
  });

  const checkpoints = [...bundle.checkpoints].sort((a, b) => a.seq - b.seq);
  const bound = checkpointFindings(bundle, checkpoints, options.trust ? pinnedById : undefined);
  findings.push(...bound.findings);
  if (bound.findings.length === 0) {
    const crypto = verifyCheckpointSequence(checkpoints, options.trust?.keys ?? bundle.keys);
    if (!crypto.ok) tampered(crypto.checkpoint.seq, crypto.reason);
  }
  report.checkpoints = checkpoints.map((cp) => checkpointReport(cp, keyFor(cp.credential_id)));
  if (findings.some((f) => f.verdict === 'TAMPERED')) return done();

  // Drills run on the virtual key and real ceremonies never do: a real history relabelled as a
  // drill (to escape review), or a drill passed off as real, shows here.
  for (const cp of report.checkpoints) {
    const key = keyFor(cp.credential_id);
    const virtual = !!key && describeAuthenticator(key).kind === 'virtual';
    if (!signedDrill && virtual)
      findings.push({
        verdict: 'RULES BROKEN',
        seq: cp.seq,
        reason: `the "${cp.step}" lock of a real ceremony was signed by the virtual drill key`,
      });
    if (signedDrill && !virtual)
      findings.push({
        verdict: 'RULES BROKEN',
        seq: cp.seq,
        reason: `the "${cp.step}" lock of a drill was signed by a key that is not the virtual drill key: a real key's history labelled as a drill`,
      });
  }
  const rules = historyRuleFindings(bundle.entries, options.config, options.now, 'entryHashes' in parsed ? parsed : {});
  for (const f of rules.findings) findings.push({ verdict: 'RULES BROKEN', ...f });
  const state = rules.state;
  report.state = state;

  const witness = witnessFindings(bundle, checkpoints, state, options.witnesses ?? []);
  findings.push(...witness.findings);
  report.witnesses = witness.report;

  findings.push(...completenessFindings(bundle, state, bound.signedThrough));
  const last = bundle.entries.at(-1)!.seq;
  if (bound.signedThrough < last) report.unsigned = { from: bound.signedThrough + 1, to: last };
  if (!options.trust)
    findings.push({
      verdict: 'ORIGIN NOT VERIFIED',
      seq: null,
      reason: 'no keys pinned: anyone can make a key and sign a history',
      code: 'keys-not-pinned',
    });
  return done();
}

function checkpointReport(cp: Checkpoint, key: EnrolledKey | undefined): CheckpointReport {
  const flags = Buffer.from(cp.authenticator_data, 'base64')[32] ?? 0;
  return {
    seq: cp.seq,
    step: cp.step,
    credential_id: cp.credential_id,
    sign_count: cp.sign_count,
    authenticator: key ? describeAuthenticator(key).label : 'unknown key',
    presence: flags & 0x04 ? 'touched and PIN-verified' : 'touched',
  };
}

/** A finished ceremony, every lock its type requires, and nothing after the last signature. */
function completenessFindings(bundle: Bundle, state: CeremonyState | null, signedThrough: number): Finding[] {
  const out: Finding[] = [];
  const incomplete = (seq: number | null, reason: string) => out.push({ verdict: 'INCOMPLETE', seq, reason });
  if (signedThrough < 0) incomplete(null, 'no key tap signs any entry: nothing here is evidence');
  if (state && !state.aborted) {
    const missing = state.steps.filter((s) => s.locks_with_tap && s.status !== 'locked').map((s) => s.id);
    if (missing.length)
      incomplete(
        null,
        `not finished: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not locked${state.current_step ? ` (the ceremony stopped at "${state.current_step}")` : ''}`,
      );
  }
  const last = bundle.entries.at(-1)!.seq;
  if (signedThrough >= 0 && signedThrough < last) {
    const kinds = [...new Set(bundle.entries.slice(signedThrough + 1).map((e) => e.kind))].join(', ');
    incomplete(
      signedThrough + 1,
      `entries seq ${signedThrough + 1}..${last} (${kinds}) come after the last key tap: signed by nothing, not evidence (seal the ceremony at export)`,
    );
  }
  return out;
}
