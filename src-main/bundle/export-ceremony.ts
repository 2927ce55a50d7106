import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, EnrolledKey } from '../../src-shared/journal/types';
import type { Journal } from '../journal/journal';
import { buildBundle } from './build-bundle';
import { renderSessionLog, sessionLogFileName } from './session-log';

export interface ExportResult {
  bundlePath: string;
  sessionLogPath: string;
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
  return { bundlePath, sessionLogPath, bundle };
}

/** A reader never sees half a file: write beside it, then rename over it. */
export function writeAtomically(file: string, contents: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents, { flag: 'w' });
  renameSync(tmp, file);
}
