import { hash as sha256 } from 'node:crypto';
import { GENESIS_PREV_HASH, type ChainVerdict, type JournalEntry } from '../../src-shared/journal/types';
import { entryHashWithPayloadText } from './entry-hash';

const HEX64 = /^[0-9a-f]{64}$/;

/** HASH_INPUT_PAGE_SQL gives no hash input for a row whose hashed fields are not all TEXT. */
const NOT_TEXT = { error: 'a field of this entry is not stored as text: it was edited outside Breakglass' };

/** What the chain walk needs of one entry: its position fields and the hash recomputed from its contents. */
interface Link {
  seq: number;
  prev_hash: string;
  hash: string;
  /** The recomputed hash, or why the entry cannot be hashed. */
  computed: string | { error: string };
}

/** An entry whose payload is still the canonical text the database stores. */
export interface StoredEntry extends Omit<JournalEntry, 'payload'> {
  payload: string;
}

/**
 * Verifies a ceremony as stored, reading it in pages of [seq, hashInput, prev_hash, hash] rows
 * where hashInput is the canonical text SQLite assembled from the columns (see journal.ts): the
 * append path only ever stores ids, kinds, times and hashes that need no JSON escaping and
 * payloads already in canonical form, so that text is the JCS encoding of every intact entry.
 * Any edit changes it, and with it the hash. Pages keep memory flat: on a 100,000-entry journal
 * that is markedly faster than materialising every row at once.
 */
export function verifyStoredRows(
  readPage: (fromSeq: number) => ReadonlyArray<readonly [number, string | null, string, string]>,
  expectedHead?: { seq: number; hash: string },
): ChainVerdict {
  const walk = new ChainWalk();
  for (let from = 0; ;) {
    const rows = readPage(from);
    if (rows.length === 0) break;
    for (const [seq, input, prev_hash, hash] of rows) {
      const problem = walk.step(seq, prev_hash, hash, input === null ? NOT_TEXT : sha256('sha256', input, 'hex'));
      if (problem) return problem;
    }
    from = rows[rows.length - 1]![0] + 1;
  }
  return walk.end(expectedHead);
}

/** The same check over entries already read with their stored payload text (export reads once). */
export function verifyStoredEntries(
  ceremonyId: string,
  rows: readonly StoredEntry[],
  expectedHead?: { seq: number; hash: string },
): ChainVerdict {
  return verifyWithPayloadTexts(
    ceremonyId,
    rows,
    rows.map((r) => r.payload),
    expectedHead,
  );
}

/**
 * The same check over entries whose canonical payload texts are known (a bundle whose reader
 * checked each payload's spelling): nothing is re-encoded, and the walk stops at the first bad entry.
 */
export function verifyWithPayloadTexts(
  ceremonyId: string,
  entries: ReadonlyArray<Omit<StoredEntry, 'payload'>>,
  payloadTexts: readonly string[],
  expectedHead?: { seq: number; hash: string },
): ChainVerdict {
  return walkEntries(ceremonyId, entries, (r, i) => entryHashWithPayloadText(r, payloadTexts[i]!), expectedHead);
}

/**
 * The same check over entries whose hashes were already recomputed from the text they were read
 * from (a bundle's line reader hashes each line's own bytes, canonical-bundle-reader.ts).
 * `linkedByReader[i] === 1`: the reader itself found entries[i]'s seq to be i, its prev_hash the
 * bytes of the hash before it and its hash the one recomputed (canonical-bundle-bytes.ts's
 * plainLogLines), so once the entries before it are intact, so is its link, and it is not read.
 */
export function verifyWithEntryHashes(
  ceremonyId: string,
  entries: ReadonlyArray<Omit<StoredEntry, 'payload'>>,
  entryHashes: readonly string[],
  expectedHead?: { seq: number; hash: string },
  linkedByReader?: Uint8Array,
): ChainVerdict {
  return walkEntries(ceremonyId, entries, (_r, i) => entryHashes[i]!, expectedHead, linkedByReader);
}

function walkEntries(
  ceremonyId: string,
  entries: ReadonlyArray<Omit<StoredEntry, 'payload'>>,
  hashOf: (entry: Omit<StoredEntry, 'payload'>, index: number) => string,
  expectedHead: { seq: number; hash: string } | undefined,
  linkedByReader?: Uint8Array,
): ChainVerdict {
  const walk = new ChainWalk();
  for (let i = 0; i < entries.length; i++) {
    const r = entries[i]!;
    // The entry object itself is not read: on 100,000 running-log lines that is a cache miss each.
    if (linkedByReader !== undefined && linkedByReader[i] === 1) {
      walk.linked(hashOf(r, i));
      continue;
    }
    const computed =
      r.ceremony_id !== ceremonyId
        ? { error: `entry at position ${i} belongs to ceremony ${r.ceremony_id}, not ${ceremonyId}` }
        : hashOf(r, i);
    const problem = walk.step(r.seq, r.prev_hash, r.hash, computed);
    if (problem) return problem;
  }
  return walk.end(expectedHead);
}

/** The chain check one entry at a time, so a journal can be verified page by page. */
class ChainWalk {
  private prevHash = GENESIS_PREV_HASH;
  private count = 0;

  /**
   * One entry in order. The intact case costs two string comparisons: a recomputed hash is 64
   * lowercase hex by construction, so `computed === hash` also proves the stored hash well formed,
   * and prev_hash equal to the previous (proven) hash proves it too. Only a failing entry pays for
   * the checks that explain what is wrong with it.
   */
  step(seq: number, prev_hash: string, hash: string, computed: Link['computed']): ChainVerdict | undefined {
    if (seq === this.count && computed === hash && prev_hash === this.prevHash) {
      this.prevHash = hash;
      this.count += 1;
      return undefined;
    }
    return this.explain(seq, prev_hash, hash, computed);
  }

  /** The next entry, whose link the reader of its bytes already checked: its hash is the new head. */
  linked(hash: string): void {
    this.prevHash = hash;
    this.count += 1;
  }

  /** Why an entry fails, checked in the order that names the most specific cause. */
  private explain(seq: number, prev_hash: string, hash: string, computed: Link['computed']): ChainVerdict {
    const i = this.count;
    if (seq !== i) {
      if (seq > i)
        return {
          ok: false,
          seq: i,
          reason: `seq ${i} is missing (next entry found is seq ${seq}): an entry was deleted or the entries were reordered`,
        };
      return { ok: false, seq: i, reason: `seq ${seq} appears at position ${i}: entries were reordered or duplicated` };
    }
    if (typeof computed !== 'string') return { ok: false, seq: i, reason: computed.error };
    if (!HEX64.test(hash) || !HEX64.test(prev_hash))
      return { ok: false, seq: i, reason: 'hash or prev_hash is not 64 lowercase hex characters' };
    if (computed !== hash)
      return { ok: false, seq: i, reason: "hash does not match the entry's contents: the entry was edited" };
    return {
      ok: false,
      seq: i,
      reason:
        i === 0
          ? 'seq 0 does not start the chain'
          : `prev_hash does not match the hash of seq ${i - 1}: an entry was inserted, removed or replaced before it`,
    };
  }

  /** `expectedHead` (the heads table or a bundle's head) catches entries removed from the end, which a chain alone cannot see. */
  end(expectedHead: { seq: number; hash: string } | undefined): ChainVerdict {
    const last = this.count - 1;
    if (expectedHead) {
      if (expectedHead.seq > last)
        return {
          ok: false,
          seq: last + 1,
          reason: `the journal head is seq ${expectedHead.seq} but the entries end at seq ${last}: entries were removed from the end`,
        };
      if (expectedHead.seq < last)
        return {
          ok: false,
          seq: expectedHead.seq + 1,
          reason: `entries after the recorded head (seq ${expectedHead.seq}) were added`,
        };
      if (last >= 0 && expectedHead.hash !== this.prevHash)
        return { ok: false, seq: last, reason: 'the last entry is not the recorded head: the chain was rewritten' };
    }
    if (this.count === 0) return { ok: false, seq: 0, reason: 'the ceremony has no entries' };
    return { ok: true, count: this.count, head_hash: this.prevHash };
  }
}
