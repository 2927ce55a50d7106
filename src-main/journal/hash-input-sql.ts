/** The JCS text of one entry, assembled by SQLite from its columns (members in JCS order). */
const HASH_INPUT = `'{"ceremony_id":"' || ceremony_id || '","kind":"' || kind || '","payload":' || payload ||
  ',"prev_hash":"' || prev_hash || '","recorded_at":"' || recorded_at || '","seq":' || seq || '}'`;

/**
 * The append path stores every field pasted into the hashed text as TEXT. `||` would paste a
 * BLOB's bytes just the same, so the same hash would cover a value that compares differently
 * (kind = 'step_locked' is false for the BLOB 'step_locked', hiding a lock from its checkpoint
 * check): a row with any of these fields not TEXT has no hash input at all.
 */
const TEXT_FIELDS = `typeof(ceremony_id) = 'text' AND typeof(kind) = 'text' AND typeof(payload) = 'text' AND typeof(recorded_at) = 'text'`;

/**
 * One page of a ceremony as [seq, JCS hash input or NULL (TEXT_FIELDS), prev_hash, hash], for
 * the walk that explains what is wrong (see verifyStoredRows). Parameters: ceremony id, first
 * seq, page size.
 */
export const HASH_INPUT_PAGE_SQL = `SELECT seq, CASE WHEN ${TEXT_FIELDS} THEN ${HASH_INPUT} END, prev_hash, hash
  FROM entries WHERE ceremony_id = ? AND seq >= ? ORDER BY seq LIMIT ?`;

/**
 * One page of a ceremony as one string per entry, `prev_hash || hash || JCS hash input`, for the
 * intact path (see intact-walk.ts): a single text value per row is what SQLite hands to JS
 * cheapest, and the two hashes sit at fixed offsets. A row comes back NULL unless seq is an
 * INTEGER, both hashes are 64-byte TEXT and the hashed fields are TEXT (TEXT_FIELDS), so the
 * intact path can never read a shifted split, or a BLOB, as intact; the explaining walk then says
 * what is wrong. (octet_length, not length: it
 * needs no scan. A 64-byte value with a multi-byte character is shorter in JS and shifts the
 * split, but then a non-hex character lands inside one of the two 64-character slices, which
 * can never equal a computed hash.) Parameters as above.
 */
export const HASH_LINE_PAGE_SQL = `SELECT CASE
    WHEN typeof(seq) = 'integer' AND typeof(prev_hash) = 'text' AND octet_length(prev_hash) = 64 AND typeof(hash) = 'text' AND octet_length(hash) = 64
      AND ${TEXT_FIELDS}
    THEN prev_hash || hash || ${HASH_INPUT} END
  FROM entries WHERE ceremony_id = ? AND seq >= ? ORDER BY seq LIMIT ?`;
