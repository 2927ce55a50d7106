import { hash } from 'node:crypto';
import { canonicalize } from '../../src-shared/canonical-json';
import type { JournalEntry } from '../../src-shared/journal/types';

export type UnhashedEntry = Omit<JournalEntry, 'hash'>;

/** hex SHA-256 over the RFC 8785 encoding of every field but `hash` (docs/journal-format.md). */
export function entryHash(entry: UnhashedEntry): string {
  return entryHashWithPayloadText(entry, canonicalize(entry.payload));
}

/**
 * The same hash when the payload is already in canonical text form, as the database stores it:
 * the members of the hashed object are written in their JCS order (ceremony_id, kind, payload,
 * prev_hash, recorded_at, seq), so verifying a journal never re-parses or re-encodes payloads.
 */
export function entryHashWithPayloadText(entry: Omit<UnhashedEntry, 'payload'>, canonicalPayload: string): string {
  const text =
    `{"ceremony_id":${JSON.stringify(entry.ceremony_id)},"kind":${JSON.stringify(entry.kind)},"payload":${canonicalPayload}` +
    `,"prev_hash":${JSON.stringify(entry.prev_hash)},"recorded_at":${JSON.stringify(entry.recorded_at)},"seq":${canonicalize(entry.seq)}}`;
  // One-shot hashing: for entries of a few hundred bytes the Hash object costs more than the hash.
  return hash('sha256', text, 'hex');
}
