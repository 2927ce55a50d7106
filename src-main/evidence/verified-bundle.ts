import { createHash } from 'node:crypto';
import { MAX_BUNDLE_BYTES, readRegularFileBytesSync } from '../fs/read-input-file';
import { parseBundle } from './parse-bundle';
import { verifyEvidence, type EvidenceOptions, type EvidenceReport } from './verify-evidence';

/** A bundle as every reader after export takes it: the verifier's report, a name, and the hash of its exact bytes. */
export interface VerifiedBundle {
  report: EvidenceReport;
  label: string;
  sha256: string;
}

/** Reads and verifies a bundle file (throws BundleReadError / InputFileError when it is unreadable). */
export function verifiedBundleFromFile(file: string, options: EvidenceOptions): VerifiedBundle {
  const bytes = readRegularFileBytesSync(file, { maxBytes: MAX_BUNDLE_BYTES, what: 'bundle' });
  return {
    report: verifyEvidence(parseBundle(bytes, file), options),
    label: file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** The same for a bundle text built in memory (the app's live journal, never written to disk). */
export function verifiedBundleFromText(text: string, label: string, options: EvidenceOptions): VerifiedBundle {
  return {
    report: verifyEvidence(parseBundle(text, label), options),
    label,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}

/** Verdicts a reader may still work from (saying so); TAMPERED and RULES BROKEN histories are not compared at all. */
export function usableEvidence(report: EvidenceReport): boolean {
  return report.verdict !== 'TAMPERED' && report.verdict !== 'RULES BROKEN';
}
