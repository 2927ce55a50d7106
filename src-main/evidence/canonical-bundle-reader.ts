import type { JsonObject } from '../../src-shared/canonical-json';
import { ENTRY_KINDS } from '../../src-shared/ceremony/entry-kinds';
import type { Bundle, JournalEntry } from '../../src-shared/journal/types';
import { checkedBundleFields, checkFormatVersion } from './bundle-header';
import { bundleHeadText, bundleTailText, ENTRIES_CLOSE, ENTRIES_OPEN } from './bundle-text';
import { isCanonicalText } from './canonical-text';
import { entryLineHash } from './entry-line-hash';
import { NOT_PLAIN, parseLogPayload, parsePlainCanonical } from './plain-canonical';

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
 * It vouches only for what it reads completely: the bundle is exactly parseBundleText's on the
 * same text (that `text === bundleText(bundle, payloadTexts)` follows piece by piece), and instead
 * of the payload texts it gives each entry's chain hash, recomputed from the line as read. Anything
 * else, a hostile spelling, an unknown kind, a ceremony id that needs escaping, seq not equal to
 * the position, returns undefined, and the caller reads the text the long way, which names what
 * is wrong. So this function decides nothing: it only saves the long way for honest files.
 */
export function readCanonicalBundle(
  text: string,
  name: string,
): { ok: true; bundle: Bundle; entryHashes: string[] } | undefined {
  const open = text.indexOf(ENTRIES_OPEN);
  const close = text.lastIndexOf(ENTRIES_CLOSE);
  // No entries at all is for the long way, which says so.
  if (open < 0 || close <= open + ENTRIES_OPEN.length) return undefined;
  try {
    const bundle = readFrame(text.slice(0, open), text.slice(close), name);
    if (bundle === undefined) return undefined;
    const entryHashes: string[] = [];
    const from = open + ENTRIES_OPEN.length;
    if (!readEntryLines(text, from, close, bundle.ceremony_id, bundle.entries, entryHashes)) return undefined;
    return { ok: true, bundle, entryHashes };
  } catch {
    // Not JSON, not a bundle, nested too deeply: the long way says which.
    return undefined;
  }
}

/**
 * The bundle around its entries, from the text before ENTRIES_OPEN (`head`) and from ENTRIES_CLOSE
 * to the end (`tail`), with no entries yet; undefined unless both are in their one spelling.
 * Throws on anything that is not a bundle's header: the caller then takes the long way.
 */
export function readFrame(head: string, tail: string, name: string): Bundle | undefined {
  const data: unknown = JSON.parse(`${head},\n  "entries": [],\n  "checkpoints": ${tail.slice(ENTRIES_CLOSE.length)}`);
  checkFormatVersion(data, name);
  const { entries: _entries, ...rest } = data;
  const bundle = { ...checkedBundleFields(rest, name), entries: [] };
  return head === bundleHeadText(bundle) && tail === bundleTailText(bundle) ? bundle : undefined;
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
  entryHashes: string[],
): boolean {
  const prefix = entryLinePrefix(ceremonyId);
  const seqAt = prefix.length - 6; // `"seq":`
  const opening = prefix.slice(4, seqAt);
  let lastHash = '';
  for (let pos = from, seq = 0; ; seq++) {
    const nl = text.indexOf('\n', pos);
    const last = nl === close;
    if (!last && text.charCodeAt(nl - 1) !== 44 /* , */) return false;
    const line = readEntryLine(text, pos, last ? nl : nl - 1, seq, prefix, ceremonyId, lastHash);
    if (line === undefined) return false;
    entries.push(line.entry);
    entryHashes.push(entryLineHash(text, pos, line, opening, seqAt));
    if (last) return true;
    lastHash = line.entry.hash;
    pos = nl + 1;
  }
}

/** What every entry line of this ceremony starts with, up to its seq. */
export function entryLinePrefix(ceremonyId: string): string {
  return `    {"ceremony_id":${JSON.stringify(ceremonyId)},"seq":`;
}

/** One entry line read, with where its pieces start (the chain hash is assembled from them, entry-line-hash.ts). */
export interface EntryLine {
  entry: JournalEntry;
  payloadText: string;
  /** Where the seq's digits end (at the comma before `"kind"`). */
  seqEnd: number;
  /** Where `,"recorded_at":` starts. */
  tail: number;
}

/**
 * One entry line from `pos` to `end` (just past its closing `}`, before any comma), as readEntryLines
 * describes it, or undefined if it is anything else. `lastHash` is the previous line's hash.
 */
export function readEntryLine(
  text: string,
  pos: number,
  end: number,
  seq: number,
  prefix: string,
  ceremonyId: string,
  lastHash: string,
): EntryLine | undefined {
  if (!text.startsWith(prefix, pos)) return undefined;
  const seqEnd = digitsEqual(text, pos + prefix.length, seq);
  let p = seqEnd;
  if (p < 0 || !text.startsWith(',"kind":"', p)) return undefined;
  p += 9;
  let kind: string | undefined = LOG_KIND;
  if (!text.startsWith(LOG_KIND_QUOTED, p)) {
    const q = text.indexOf('"', p);
    kind = q < 0 || q > end ? undefined : KINDS.get(text.slice(p, q));
  }
  if (kind === undefined) return undefined;
  p += kind.length + 1;
  if (!text.startsWith(',"payload":{', p)) return undefined;
  p += 11; // the payload starts at its "{"
  const t = end - TAIL;
  if (
    t <= p ||
    !text.startsWith(',"recorded_at":"', t) ||
    !text.startsWith('","prev_hash":"', t + 40) ||
    !text.startsWith('","hash":"', t + 119) ||
    !text.startsWith('"}', t + 193)
  )
    return undefined;
  // prev_hash is usually the hash just read (already checked to be hex): a comparison, not a scan,
  // and that string itself is kept rather than another copy of it.
  const prevIsLast = seq > 0 && text.startsWith(lastHash, t + 55);
  if (!prevIsLast && !isHex64(text, t + 55)) return undefined;
  if (!isHex64(text, t + 129)) return undefined;
  const recorded_at = text.slice(t + 16, t + 40);
  if (!ISO_UTC.test(recorded_at)) return undefined;
  const prev_hash = prevIsLast ? lastHash : text.slice(t + 55, t + 119);
  const hash = text.slice(t + 129, t + 193);
  const payloadText = text.slice(p, t);
  // A payload time equal to recorded_at (a running-log line's logged_at) is that same string.
  let payload = kind === LOG_KIND ? parseLogPayload(text, p, t, recorded_at) : NOT_PLAIN;
  if (payload === NOT_PLAIN) payload = parsePlainCanonical(text, p, t, recorded_at);
  if (payload === NOT_PLAIN) {
    payload = JSON.parse(payloadText);
    if (!isCanonicalText(payload, payloadText)) return undefined;
  }
  return {
    entry: { ceremony_id: ceremonyId, seq, kind, payload: payload as JsonObject, recorded_at, prev_hash, hash },
    payloadText,
    seqEnd,
    tail: t,
  };
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
