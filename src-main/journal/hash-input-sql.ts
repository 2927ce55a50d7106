/** The JCS text of one entry, assembled by SQLite from its columns (members in JCS order). */
const HASH_INPUT = `'{"ceremony_id":"' || ceremony_id || '","kind":"' || kind || '","payload":' || payload ||
  ',"prev_hash":"' || prev_hash || '","recorded_at":"' || recorded_at || '","seq":' || seq || '}'`;

/**
 * One page of a ceremony as [seq, JCS hash input, prev_hash, hash], for the walk that explains
 * what is wrong (see verifyStoredRows). Parameters: ceremony id, first seq, page size.
 */
export const HASH_INPUT_PAGE_SQL = `SELECT seq, ${HASH_INPUT}, prev_hash, hash
  FROM entries WHERE ceremony_id = ? AND seq >= ? ORDER BY seq LIMIT ?`;

/**
 * One page of a ceremony as one string per entry, `prev_hash || hash || JCS hash input`, for the
 * intact path (see intact-walk.ts): a single text value per row is what SQLite hands to JS
 * cheapest, and the two hashes sit at fixed offsets. A row whose columns are not of the types and
 * lengths the append path writes comes back NULL, so the intact path can never read a shifted
 * split as intact; the explaining walk then says what is wrong. (octet_length, not length: it
 * needs no scan. A 64-byte value with a multi-byte character is shorter in JS and shifts the
 * split, but then a non-hex character lands inside one of the two 64-character slices, which
 * can never equal a computed hash.) Parameters as above.
 */
export const HASH_LINE_PAGE_SQL = `SELECT CASE
    WHEN typeof(seq) = 'integer' AND typeof(prev_hash) = 'text' AND octet_length(prev_hash) = 64 AND typeof(hash) = 'text' AND octet_length(hash) = 64
    THEN prev_hash || hash || ${HASH_INPUT} END
  FROM entries WHERE ceremony_id = ? AND seq >= ? ORDER BY seq LIMIT ?`;
