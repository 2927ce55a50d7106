import type { Bundle } from '../../src-shared/journal/types';
import { usableEvidence, type VerifiedBundle } from '../evidence/verified-bundle';
import { ReconcileInputError } from './input-error';

export interface LoadedBundle {
  bundle: Bundle;
  file: string;
  sha256: string;
  /** The verifier's verdict and findings, carried into the report: anything short of INTACT needs attention. */
  evidence: { verdict: string; findings: string[] };
}

/**
 * THE place reconcile takes a ceremony bundle: only as the one evidence verifier judged it. A
 * reconciliation against an edited or runbook-breaking history would certify it, so TAMPERED and
 * RULES BROKEN stop the run (exit 2); so does a ceremony whose own record (up to its sign-out
 * lock) is not all signed, since an unsigned running-log line is no declaration. An unsigned
 * after-care tail is left out of the comparison: it declares nothing.
 */
export function ceremonyEvidence(verified: VerifiedBundle): LoadedBundle {
  const { report, label, sha256 } = verified;
  const describe = (f: { seq: number | null; reason: string }) =>
    `${f.seq === null ? '' : `seq ${f.seq}: `}${f.reason}`;
  if (!usableEvidence(report)) {
    const first = report.findings[0];
    throw new ReconcileInputError(
      label,
      `the bundle verifies as ${report.verdict}${first ? ` (${describe(first)})` : ''}; reconcile compares only evidence that verifies (see breakglass verify)`,
    );
  }
  const signOut = report.state?.steps.find((s) => s.id === 'sign_out')?.locked_seq ?? null;
  const ended = signOut ?? report.state?.aborted?.seq ?? null;
  if (report.unsigned && (ended === null || report.unsigned.from <= ended + 1)) {
    throw new ReconcileInputError(
      label,
      `entries seq ${report.unsigned.from}..${report.unsigned.to} of the ceremony itself come after its last key tap: unsigned lines are no declarations, so reconcile compares only a ceremony signed through its sign-out (export it sealed)`,
    );
  }
  const bundle = report.unsigned
    ? { ...report.bundle, entries: report.bundle.entries.slice(0, report.unsigned.from) }
    : report.bundle;
  return {
    bundle,
    file: label,
    sha256,
    evidence: { verdict: report.verdict, findings: report.findings.map((f) => `${f.verdict}: ${describe(f)}`) },
  };
}
