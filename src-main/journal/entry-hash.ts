import { createHash } from 'node:crypto';
import { canonicalize, type JsonObject } from '../../src-shared/canonical-json';

export interface UnhashedEntry {
  ceremony_id: string;
  seq: number;
  kind: string;
  payload: JsonObject;
  recorded_at: string;
  prev_hash: string;
}

/** hex SHA-256 over the RFC 8785 encoding of every field but `hash` (docs/journal-format.md). */
export function entryHash(entry: UnhashedEntry): string {
  const { ceremony_id, seq, kind, payload, recorded_at, prev_hash } = entry;
  return createHash('sha256').update(canonicalize({ ceremony_id, seq, kind, payload, recorded_at, prev_hash }), 'utf8').digest('hex');
}
