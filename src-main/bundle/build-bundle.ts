import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type Bundle, type EnrolledKey } from '../../src-shared/journal/types';
import type { Journal } from '../journal/journal';

export class ExportError extends Error {}

/** Collects one ceremony's entries, checkpoints and the public keys that signed them. */
export function buildBundle(journal: Journal, ceremonyId: string, keys: readonly EnrolledKey[], now: Date): Bundle {
  const entries = journal.entries(ceremonyId);
  if (entries.length === 0) {
    const known = journal.ceremonies().map((c) => c.ceremony_id);
    throw new ExportError(`no ceremony "${ceremonyId}" in this journal${known.length ? ` (known: ${known.join(', ')})` : ' (it is empty)'}`);
  }
  const verdict = journal.verify(ceremonyId);
  if (!verdict.ok) throw new ExportError(`the journal of ${ceremonyId} does not verify at seq ${verdict.seq}: ${verdict.reason}. Export refused.`);
  const checkpoints = journal.checkpoints(ceremonyId);
  const used = new Set(checkpoints.map((c) => c.credential_id));
  const head = entries[entries.length - 1]!;
  return {
    format: BUNDLE_FORMAT,
    format_version: BUNDLE_FORMAT_VERSION,
    ceremony_id: ceremonyId,
    exported_at: now.toISOString(),
    drill: entries[0]!.payload.drill === true,
    head: { seq: head.seq, hash: head.hash },
    entries,
    checkpoints,
    keys: keys.filter((k) => used.has(k.credential_id)),
  };
}
