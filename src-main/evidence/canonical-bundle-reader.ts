import type { JsonObject } from '../../src-shared/canonical-json';
import { ENTRY_KINDS } from '../../src-shared/ceremony/entry-kinds';
import type { Bundle, JournalEntry } from '../../src-shared/journal/types';
import { checkedBundleFields, checkFormatVersion } from './bundle-header';
import { bundleHeadText, bundleTailText, ENTRIES_CLOSE, ENTRIES_OPEN } from './bundle-text';
import { isCanonicalText } from './canonical-text';

/** Entry kinds are spelled without escapes, so the text between the quotes is the kind itself. */
const KINDS = new Map<string, string>(ENTRY_KINDS.map((k) => [k, k]));
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** An entry line ends `,"recorded_at":"<24>","prev_hash":"<64>","hash":"<64>"}`: 195 characters, at fixed offsets. */
const TAIL = 195;

/**
 * The one-pass reader of a bundle already in its one spelling (bundle-text.ts): the header,
 * checkpoints and keys are parsed and re-spelled as parse-bundle.ts does (they are small); each
 * entry line is matched against the line the same entry must produce, piece by piece, and only
 * its payload is parsed, then checked to be canonical once. The text is never rebuilt.
 *
 * It vouches only for what it reads completely: the result is exactly parseBundleText's on the
 * same text (that `text === bundleText(bundle, payloadTexts)` follows piece by piece). Anything
 * else, a hostile spelling, an unknown kind, a ceremony id that needs escaping, seq not equal to
 * the position, returns undefined, and the caller reads the text the long way, which names what
 * is wrong. So this function decides nothing: it only saves the long way for honest files.
 */
export function readCanonicalBundle(text: string, name: string): { ok: true; bundle: Bundle; payloadTexts: string[] } | undefined {
  const open = text.indexOf(ENTRIES_OPEN);
  const close = text.lastIndexOf(ENTRIES_CLOSE);
  // No entries at all is for the long way, which says so.
  if (open < 0 || close <= open + ENTRIES_OPEN.length) return undefined;
  let bundle: Bundle;
  try {
    const data: unknown = JSON.parse(`${text.slice(0, open)},\n  "entries": [],\n  "checkpoints": ${text.slice(close + ENTRIES_CLOSE.length)}`);
    checkFormatVersion(data, name);
    const { entries: _entries, ...rest } = data;
    bundle = { ...checkedBundleFields(rest, name), entries: [] };
    if (text.slice(0, open) !== bundleHeadText(bundle) || text.slice(close) !== bundleTailText(bundle)) return undefined;
    const payloadTexts: string[] = [];
    if (!readEntryLines(text, open + ENTRIES_OPEN.length, close, bundle.ceremony_id, bundle.entries, payloadTexts)) return undefined;
    return { ok: true, bundle, payloadTexts };
  } catch {
    // Not JSON, not a bundle, nested too deeply: the long way says which.
    return undefined;
  }
}

/**
 * Reads the lines from `from` to `close`, each exactly
 * `    {"ceremony_id":C,"seq":N,"kind":K,"payload":P,"recorded_at":R,"prev_hash":H,"hash":H}`
 * followed by `,\n` (the last one by `close`). C is the header's ceremony id, N the line's
 * position, K a known kind, R, H and H need no escaping (they are checked to be a UTC time and
 * hex), and P is parsed and must be its own canonical spelling.
 */
function readEntryLines(text: string, from: number, close: number, ceremonyId: string, entries: JournalEntry[], payloadTexts: string[]): boolean {
  const prefix = `    {"ceremony_id":${JSON.stringify(ceremonyId)},"seq":`;
  for (let pos = from, seq = 0; ; seq++) {
    const nl = text.indexOf('\n', pos);
    const last = nl === close;
    const end = last ? nl : nl - 1;
    if (!last && text.charCodeAt(end) !== 44 /* , */) return false;
    if (!text.startsWith(prefix, pos)) return false;
    let p = pos + prefix.length;
    const seqText = String(seq);
    if (!text.startsWith(seqText, p) || !text.startsWith(',"kind":"', p + seqText.length)) return false;
    p += seqText.length + 9;
    const q = text.indexOf('"', p);
    const kind = q < 0 || q > end ? undefined : KINDS.get(text.slice(p, q));
    if (kind === undefined || !text.startsWith(',"payload":{', q + 1)) return false;
    p = q + 12; // the payload starts at its "{", the last character matched
    const t = end - TAIL;
    if (t <= p || !text.startsWith(',"recorded_at":"', t) || !text.startsWith('","prev_hash":"', t + 40) || !text.startsWith('","hash":"', t + 119) || !text.startsWith('"}', t + 193)) return false;
    const recorded_at = text.slice(t + 16, t + 40);
    const prev_hash = text.slice(t + 55, t + 119);
    const hash = text.slice(t + 129, t + 193);
    if (!ISO_UTC.test(recorded_at) || !HEX64.test(prev_hash) || !HEX64.test(hash)) return false;
    const payloadText = text.slice(p, t);
    const payload = JSON.parse(payloadText) as JsonObject;
    if (!isCanonicalText(payload, payloadText)) return false;
    entries.push({ ceremony_id: ceremonyId, seq, kind, payload, recorded_at, prev_hash, hash });
    payloadTexts.push(payloadText);
    if (last) return true;
    pos = nl + 1;
  }
}
