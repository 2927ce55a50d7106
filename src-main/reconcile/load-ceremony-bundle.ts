import { createHash } from 'node:crypto';
import type { Bundle } from '../../src-shared/journal/types';
import { BundleReadError, readBundleFile } from '../bundle/read-bundle';
import { verifyChain } from '../journal/verify-chain';
import { ReconcileInputError } from './input-error';
import { readInputBytes } from './read-json-file';

export interface LoadedBundle {
  bundle: Bundle;
  file: string;
  sha256: string;
}

/**
 * THE place reconcile loads and checks a ceremony bundle (issue 12 swaps its evidence verifier in
 * here, replacing the chain-only check). A reconciliation against an edited journal would
 * certify the edit, so anything but a verified bundle stops the run with exit 2.
 */
export function loadCeremonyBundle(file: string): LoadedBundle {
  const bytes = readInputBytes(file, 'the ceremony bundle');
  let bundle: Bundle;
  try {
    bundle = readBundleFile(file);
  } catch (error) {
    if (error instanceof BundleReadError) throw new ReconcileInputError(file, error.message.replace(`${file} `, ''));
    throw error;
  }
  checkJournal(bundle, file);
  return { bundle, file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The check also applied to the app's in-memory bundle. */
export function checkJournal(bundle: Bundle, label: string): void {
  const chain = verifyChain(bundle.ceremony_id, bundle.entries, bundle.head);
  if (!chain.ok) throw new ReconcileInputError(label, `the journal in the bundle fails verification at seq ${chain.seq}: ${chain.reason}`);
}
