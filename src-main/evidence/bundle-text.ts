import type { Bundle, JournalEntry } from '../../src-shared/journal/types';

/** What stands between the header and the first entry line, and between the last entry line and the checkpoints. */
export const ENTRIES_OPEN = ',\n  "entries": [\n';
export const ENTRIES_CLOSE = '\n  ],\n  "checkpoints": ';

/**
 * The one spelling of a bundle file: a pretty header, one entry per line with its payload in
 * canonical (RFC 8785) form, one checkpoint and one key per line. Export writes it and the
 * verifier demands it byte for byte, so what a reader sees in the file is exactly what is hashed
 * and signed: no duplicate member, escape, number spelling or extra member can hide in it.
 */
export function bundleText(bundle: Bundle, payloadTexts: readonly string[]): string {
  const lines = bundle.entries.map((e, i) => entryLine(e, payloadTexts[i]!));
  return `${bundleHeadText(bundle)}${ENTRIES_OPEN}${lines.join(',\n')}${bundleTailText(bundle)}`;
}

/** The header as the file spells it: everything before ENTRIES_OPEN. */
export function bundleHeadText(bundle: Bundle): string {
  const { entries: _entries, checkpoints: _checkpoints, keys: _keys, ...header } = bundle;
  return JSON.stringify(header, null, 2).slice(0, -2);
}

/** One entry's line, without the indentation's newline or the comma that separates it from the next. */
export function entryLine(e: JournalEntry, payloadText: string): string {
  return (
    `    {"ceremony_id":${JSON.stringify(e.ceremony_id)},"seq":${e.seq},"kind":${JSON.stringify(e.kind)},"payload":${payloadText},` +
    `"recorded_at":${JSON.stringify(e.recorded_at)},"prev_hash":${JSON.stringify(e.prev_hash)},"hash":${JSON.stringify(e.hash)}}`
  );
}

/** Everything from the newline after the last entry line to the end of the file (starts with ENTRIES_CLOSE). */
export function bundleTailText(bundle: Bundle): string {
  const list = (items: readonly unknown[]) =>
    items.length ? `[\n${items.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]` : '[]';
  return `${ENTRIES_CLOSE}${list(bundle.checkpoints)},\n  "keys": ${list(bundle.keys)}\n}\n`;
}
