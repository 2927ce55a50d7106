import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BreakglassConfig } from '../../src-shared/config/schema';
import type { Bundle, EnrolledKey } from '../../src-shared/journal/types';
import { ok, type Result } from '../../src-shared/result';
import { parseBundle } from '../evidence/parse-bundle';
import { trustFingerprint } from '../evidence/trust-file';
import { verifyEvidence, type EvidenceReport } from '../evidence/verify-evidence';
import { writeFileDurably } from '../fs/durable-write';
import type { Journal } from '../journal/journal';
import { buildBundle } from '../bundle/build-bundle';
import { renderSessionLog, sessionLogFileName } from '../bundle/session-log';
import { postmortemFileName, renderPostmortem } from '../reconcile/postmortem';
import type { Reconciliation } from '../reconcile/reconciliation-types';

export interface ExportResult {
  bundlePath: string;
  sessionLogPath: string;
  /** Written when a CloudTrail reconciliation is attached to the ceremony (`breakglass reconcile --attach`). */
  postmortemPath: string | null;
  bundle: Bundle;
  /** The verifier's verdict on the exported file itself, pinned to this laptop's enrolled keys. */
  report: EvidenceReport;
}

/**
 * Writes `<ceremony-id>.bundle.json` and the session-log markdown into `outDir`. The bundle text
 * is read back through the one verifier before anything is written, so the documents are made
 * from what a reviewer will verify, and the caller can say what the reviewer will see. Refused
 * (nothing written) for a ceremony that is not in the journal or does not verify.
 */
export function exportCeremony(options: {
  journal: Journal;
  ceremonyId: string;
  outDir: string;
  keys: readonly EnrolledKey[];
  now: Date;
  config: BreakglassConfig;
}): Result<ExportResult> {
  const built = buildBundle(options.journal, options.ceremonyId, options.keys, options.now);
  if (!built.ok) return built;
  const { bundle, text } = built.value;
  const pins = options.keys.filter((k) => bundle.keys.some((b) => b.credential_id === k.credential_id));
  const report = verifyEvidence(parseBundle(text, 'the exported bundle'), {
    trust: pins.length ? { keys: pins, fingerprint: trustFingerprint(pins) } : undefined,
    config: options.config,
    now: options.now,
  });
  mkdirSync(options.outDir, { recursive: true });
  const bundlePath = path.join(options.outDir, `${bundle.ceremony_id}.bundle.json`);
  const sessionLogPath = path.join(options.outDir, sessionLogFileName(bundle));
  writeFileDurably(bundlePath, text);
  writeFileDurably(sessionLogPath, renderSessionLog(bundle, report));
  const attached = [...bundle.entries].reverse().find((e) => e.kind === 'reconciliation_attached' && e.payload.report);
  let postmortemPath: string | null = null;
  if (attached) {
    postmortemPath = path.join(options.outDir, postmortemFileName(bundle));
    writeFileDurably(
      postmortemPath,
      renderPostmortem(bundle, attached.payload.report as unknown as Reconciliation, { now: options.now }),
    );
  }
  return ok({ bundlePath, sessionLogPath, postmortemPath, bundle, report });
}
