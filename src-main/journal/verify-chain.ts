import { GENESIS_PREV_HASH, type ChainVerdict, type JournalEntry } from '../../src-shared/journal/types';
import { entryHash } from './entry-hash';

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Checks a ceremony's entries, in the order given, against the hash chain.
 * `expectedHead` (from the heads table or a bundle) catches entries removed from the end,
 * which a chain alone cannot see. Returns the first bad seq and why.
 */
export function verifyChain(
  ceremonyId: string,
  entries: readonly JournalEntry[],
  expectedHead?: { seq: number; hash: string },
): ChainVerdict {
  let prevHash = GENESIS_PREV_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.ceremony_id !== ceremonyId) return { ok: false, seq: i, reason: `entry at position ${i} belongs to ceremony ${e.ceremony_id}, not ${ceremonyId}` };
    if (e.seq !== i) {
      if (e.seq > i) return { ok: false, seq: i, reason: `seq ${i} is missing (next entry found is seq ${e.seq}): an entry was deleted or the entries were reordered` };
      return { ok: false, seq: i, reason: `seq ${e.seq} appears at position ${i}: entries were reordered or duplicated` };
    }
    if (!HEX64.test(e.hash) || !HEX64.test(e.prev_hash)) return { ok: false, seq: i, reason: 'hash or prev_hash is not 64 lowercase hex characters' };
    if (typeof e.kind !== 'string' || e.kind.length === 0) return { ok: false, seq: i, reason: 'kind is missing' };
    if (typeof e.recorded_at !== 'string' || !ISO_UTC.test(e.recorded_at)) return { ok: false, seq: i, reason: `recorded_at "${String(e.recorded_at)}" is not a UTC timestamp` };
    if (e.payload === null || typeof e.payload !== 'object' || Array.isArray(e.payload)) return { ok: false, seq: i, reason: 'payload is not a JSON object' };
    let recomputed: string;
    try {
      recomputed = entryHash(e);
    } catch (error) {
      return { ok: false, seq: i, reason: `payload cannot be canonicalized: ${(error as Error).message}` };
    }
    if (recomputed !== e.hash) return { ok: false, seq: i, reason: 'hash does not match the entry\'s contents: the entry was edited' };
    if (e.prev_hash !== prevHash) {
      return { ok: false, seq: i, reason: i === 0 ? 'seq 0 does not start the chain' : `prev_hash does not match the hash of seq ${i - 1}: an entry was inserted, removed or replaced before it` };
    }
    prevHash = e.hash;
  }
  if (expectedHead) {
    const last = entries.length - 1;
    if (expectedHead.seq > last) {
      return { ok: false, seq: last + 1, reason: `the journal head is seq ${expectedHead.seq} but the entries end at seq ${last}: entries were removed from the end` };
    }
    if (expectedHead.seq < last) {
      return { ok: false, seq: expectedHead.seq + 1, reason: `entries after the recorded head (seq ${expectedHead.seq}) were added` };
    }
    if (last >= 0 && expectedHead.hash !== prevHash) {
      return { ok: false, seq: last, reason: 'the last entry is not the recorded head: the chain was rewritten' };
    }
  }
  if (entries.length === 0) return { ok: false, seq: 0, reason: 'the ceremony has no entries' };
  return { ok: true, count: entries.length, head_hash: prevHash };
}
