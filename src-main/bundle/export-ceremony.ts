import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, EnrolledKey } from '../../src-shared/journal/types';
import { writeFileDurably } from '../fs/durable-write';
import type { Journal } from '../journal/journal';
import { buildBundle } from './build-bundle';
import { renderSessionLog, sessionLogFileName } from './session-log';
import { postmortemFileName, renderPostmortem } from '../reconcile/postmortem';
import type { Reconciliation } from '../reconcile/reconciliation-types';

export interface ExportResult {
  bundlePath: string;
  sessionLogPath: string;
  /** Written when a CloudTrail reconciliation is attached to the ceremony (`breakglass reconcile --attach`). */
  postmortemPath: string | null;
  bundle: Bundle;
}

/** Writes `<ceremony-id>.bundle.json` and the session-log markdown into `outDir`. */
export function exportCeremony(options: { journal: Journal; ceremonyId: string; outDir: string; keys: readonly EnrolledKey[]; now: Date }): ExportResult {
  const { bundle, text } = buildBundle(options.journal, options.ceremonyId, options.keys, options.now);
  mkdirSync(options.outDir, { recursive: true });
  const bundlePath = path.join(options.outDir, `${bundle.ceremony_id}.bundle.json`);
  const sessionLogPath = path.join(options.outDir, sessionLogFileName(bundle));
  writeAtomically(bundlePath, text);
  writeAtomically(sessionLogPath, renderSessionLog(bundle));
  const attached = [...bundle.entries].reverse().find((e) => e.kind === 'reconciliation_attached' && e.payload.report);
  let postmortemPath: string | null = null;
  if (attached) {
    postmortemPath = path.join(options.outDir, postmortemFileName(bundle));
    writeAtomically(postmortemPath, renderPostmortem(bundle, attached.payload.report as unknown as Reconciliation, { now: options.now }));
  }
  return { bundlePath, sessionLogPath, postmortemPath, bundle };
}

/**
 * A reader never sees half a file, and a power cut never leaves an empty one the app reported as
 * written: fsynced temp file, rename, fsynced folder (writeFileDurably).
 */
export function writeAtomically(file: string, contents: string): void {
  writeFileDurably(file, contents);
}
