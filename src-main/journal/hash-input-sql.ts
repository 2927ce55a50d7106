/**
 * One page of a ceremony as [seq, JCS hash input, prev_hash, hash], assembled by SQLite so that
 * verifying only hashes (see verifyStoredRows). Parameters: ceremony id, first seq, page size.
 */
export const HASH_INPUT_PAGE_SQL = `SELECT seq, '{"ceremony_id":"' || ceremony_id || '","kind":"' || kind || '","payload":' || payload ||
  ',"prev_hash":"' || prev_hash || '","recorded_at":"' || recorded_at || '","seq":' || seq || '}', prev_hash, hash
  FROM entries WHERE ceremony_id = ? AND seq >= ? ORDER BY seq LIMIT ?`;
