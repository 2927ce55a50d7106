import type { JsonObject } from '../../src-shared/canonical-json';
import { ENTRY_KINDS } from '../../src-shared/ceremony/entry-kinds';
import type { Bundle, JournalEntry } from '../../src-shared/journal/types';
import { checkedBundleFields, checkFormatVersion } from './bundle-header';
import { bundleHeadText, bundleTailText, ENTRIES_CLOSE, ENTRIES_OPEN } from './bundle-text';
import { isCanonicalText } from './canonical-text';
import { NOT_PLAIN, parsePlainCanonical } from './plain-canonical';

/** Entry kinds are spelled without escapes, so the text between the quotes is the kind itself. */
const KINDS = new Map<string, string>(ENTRY_KINDS.map((k) => [k, k]));
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** An entry line ends `,"recorded_at":"<24>","prev_hash":"<64>","hash":"<64>"}`: 195 characters, at fixed offsets. */
const TAIL = 195;

/**
 * The one-pass reader of a bundle already in its one spelling (bundle-text.ts): the header,
 * checkpoints and keys are parsed and re-spelled as parse-bundle.ts does (they are small); each
 * entry line is matched against the line the same entry must produce, piece by piece, and only
 * its payload is parsed, in one pass that also checks its canonical spelling (plain-canonical.ts;
 * other payloads: JSON.parse, then isCanonicalText). The text is never rebuilt.
 *
 * It vouches only for what it reads completely: the result is exactly parseBundleText's on the
 * same text (that `text === bundleText(bundle, payloadTexts)` follows piece by piece). Anything
 * else, a hostile spelling, an unknown kind, a ceremony id that needs escaping, seq not equal to
 * the position, returns undefined, and the caller reads the text the long way, which names what
 * is wrong. So this function decides nothing: it only saves the long way for honest files.
 */
export function readCanonicalBundle(
  text: string,
  name: string,
): { ok: true; bundle: Bundle; payloadTexts: string[] } | undefined {
  const open = text.indexOf(ENTRIES_OPEN);
  const close = text.lastIndexOf(ENTRIES_CLOSE);
  // No entries at all is for the long way, which says so.
  if (open < 0 || close <= open + ENTRIES_OPEN.length) return undefined;
  let bundle: Bundle;
  try {
    const data: unknown = JSON.parse(
      `${text.slice(0, open)},\n  "entries": [],\n  "checkpoints": ${text.slice(close + ENTRIES_CLOSE.length)}`,
    );
    checkFormatVersion(data, name);
    const { entries: _entries, ...rest } = data;
    bundle = { ...checkedBundleFields(rest, name), entries: [] };
    if (text.slice(0, open) !== bundleHeadText(bundle) || text.slice(close) !== bundleTailText(bundle))
      return undefined;
    const payloadTexts: string[] = [];
    if (!readEntryLines(text, open + ENTRIES_OPEN.length, close, bundle.ceremony_id, bundle.entries, payloadTexts))
      return undefined;
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
function readEntryLines(
  text: string,
  from: number,
  close: number,
  ceremonyId: string,
  entries: JournalEntry[],
  payloadTexts: string[],
): boolean {
  const prefix = `    {"ceremony_id":${JSON.stringify(ceremonyId)},"seq":`;
  let lastHash = '';
  for (let pos = from, seq = 0; ; seq++) {
    const nl = text.indexOf('\n', pos);
    const last = nl === close;
    const end = last ? nl : nl - 1;
    if (!last && text.charCodeAt(end) !== 44 /* , */) return false;
    if (!text.startsWith(prefix, pos)) return false;
    let p = digitsEqual(text, pos + prefix.length, seq);
    if (p < 0 || !text.startsWith(',"kind":"', p)) return false;
    p += 9;
    let kind: string | undefined = LOG_KIND;
    if (!text.startsWith(LOG_KIND_QUOTED, p)) {
      const q = text.indexOf('"', p);
      kind = q < 0 || q > end ? undefined : KINDS.get(text.slice(p, q));
    }
    if (kind === undefined) return false;
    p += kind.length + 1;
    if (!text.startsWith(',"payload":{', p)) return false;
    p += 11; // the payload starts at its "{"
    const t = end - TAIL;
    if (
      t <= p ||
      !text.startsWith(',"recorded_at":"', t) ||
      !text.startsWith('","prev_hash":"', t + 40) ||
      !text.startsWith('","hash":"', t + 119) ||
      !text.startsWith('"}', t + 193)
    )
      return false;
    // prev_hash is usually the hash just read (already checked to be hex): a comparison, not a scan.
    if (!(seq > 0 && text.startsWith(lastHash, t + 55)) && !isHex64(text, t + 55)) return false;
    if (!isHex64(text, t + 129)) return false;
    const recorded_at = text.slice(t + 16, t + 40);
    if (!ISO_UTC.test(recorded_at)) return false;
    const prev_hash = text.slice(t + 55, t + 119);
    const hash = text.slice(t + 129, t + 193);
    const payloadText = text.slice(p, t);
    let payload = parsePlainCanonical(text, p, t);
    if (payload === NOT_PLAIN) {
      payload = JSON.parse(payloadText);
      if (!isCanonicalText(payload, payloadText)) return false;
    }
    entries.push({ ceremony_id: ceremonyId, seq, kind, payload: payload as JsonObject, recorded_at, prev_hash, hash });
    payloadTexts.push(payloadText);
    if (last) return true;
    lastHash = hash;
    pos = nl + 1;
  }
}

/** Nearly every line is a running-log line: its kind is matched without cutting it out. */
const LOG_KIND = 'action_logged';
const LOG_KIND_QUOTED = `${LOG_KIND}"`;

/** Where `n`, spelled in decimal without leading zeros, ends if the text spells it at `at`; else -1. */
function digitsEqual(text: string, at: number, n: number): number {
  let value = 0;
  let i = at;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57 && i - at < 16; c = text.charCodeAt(++i))
    value = value * 10 + (c - 48);
  const length = i - at;
  if (length === 0 || value !== n || (length > 1 && text.charCodeAt(at) === 48)) return -1;
  return i;
}

/** 64 lowercase hex digits at `at`. */
function isHex64(text: string, at: number): boolean {
  for (let i = at; i < at + 64; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
