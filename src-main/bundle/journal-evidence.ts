import type { BreakglassConfig } from '../../src-shared/config/schema';
import { trustFingerprint } from '../evidence/trust-file';
import { verifiedBundleFromText, type VerifiedBundle } from '../evidence/verified-bundle';
import type { Finding, Verdict } from '../evidence/verdict';
import { listEnrolledKeys } from '../hardware-key/enrolment/enrolment-store';
import type { Journal } from '../journal/journal';
import { buildBundle } from './build-bundle';

export type JournalEvidence =
  { verified: VerifiedBundle } | { verified: null; verdict: Extract<Verdict, 'TAMPERED'>; findings: Finding[] };

/**
 * One ceremony of the local journal judged exactly as its exported bundle would be: built in
 * memory (never written), read back through the one evidence verifier, pinned to the keys this
 * laptop enrolled. The quarterly review and the app's read-back use it, so they can never call
 * intact what `breakglass verify` would not.
 */
export function journalEvidence(
  journal: Journal,
  ceremonyId: string,
  options: { config: BreakglassConfig; now: Date },
): JournalEvidence {
  const built = buildBundle(journal, ceremonyId, listEnrolledKeys(journal.db), options.now);
  if (!built.ok)
    return {
      verified: null,
      verdict: 'TAMPERED',
      findings: [{ verdict: 'TAMPERED', seq: null, reason: built.error.message }],
    };
  const { bundle, text } = built.value;
  const keys = listEnrolledKeys(journal.db).filter((k) => bundle.keys.some((b) => b.credential_id === k.credential_id));
  const trust = keys.length ? { keys, fingerprint: trustFingerprint(keys) } : undefined;
  return {
    verified: verifiedBundleFromText(text, `journal ${ceremonyId}`, {
      trust,
      config: options.config,
      now: options.now,
    }),
  };
}

/** The verdict and findings of either outcome. */
export function evidenceSummary(e: JournalEvidence): { verdict: Verdict; findings: Finding[] } {
  return e.verified
    ? { verdict: e.verified.report.verdict, findings: e.verified.report.findings }
    : { verdict: e.verdict, findings: e.findings };
}
