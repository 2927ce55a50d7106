import {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  type Bundle,
  type EnrolledKey,
  type JournalEntry,
} from '../../src-shared/journal/types';
import type { JsonObject } from '../../src-shared/canonical-json';
import { ok, refused, type Result } from '../../src-shared/result';
import type { Journal } from '../journal/journal';
import { bundleText } from '../evidence/bundle-text';

export interface BuiltBundle {
  bundle: Bundle;
  /** The bundle as written to disk: pretty header, one entry per line, payloads as stored. */
  text: string;
}

/**
 * Collects one ceremony's entries, checkpoints and the public keys that signed them; refused
 * (not-found, journal-tampered) for a ceremony that is not there or does not verify.
 */
export function buildBundle(
  journal: Journal,
  ceremonyId: string,
  keys: readonly EnrolledKey[],
  now: Date,
): Result<BuiltBundle> {
  const stored = journal.storedEntries(ceremonyId);
  if (stored.length === 0) {
    const known = journal.ceremonies().map((c) => c.ceremony_id);
    return refused(
      'not-found',
      `no ceremony "${ceremonyId}" in this journal${known.length ? ` (known: ${known.join(', ')})` : ' (it is empty)'}`,
    );
  }
  const verdict = journal.verifyRead(ceremonyId, stored);
  if (!verdict.ok)
    return refused(
      'journal-tampered',
      `the journal of ${ceremonyId} does not verify at seq ${verdict.seq}: ${verdict.reason}. Export refused.`,
    );
  const checkpoints = journal.checkpoints(ceremonyId);
  const used = new Set(checkpoints.map((c) => c.credential_id));
  const last = stored[stored.length - 1]!;
  const entries: JournalEntry[] = stored.map((e) => ({ ...e, payload: JSON.parse(e.payload) as JsonObject }));
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    format_version: BUNDLE_FORMAT_VERSION,
    ceremony_id: ceremonyId,
    exported_at: now.toISOString(),
    drill: entries[0]!.payload.drill === true,
    head: { seq: last.seq, hash: last.hash },
    entries,
    checkpoints,
    keys: keys.filter((k) => used.has(k.credential_id)),
  };
  return ok({
    bundle,
    text: bundleText(
      bundle,
      stored.map((e) => e.payload),
    ),
  });
}
