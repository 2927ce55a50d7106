import type { Bundle } from '../../src-shared/journal/types';

/**
 * The one spelling of a bundle file: a pretty header, one entry per line with its payload in
 * canonical (RFC 8785) form, one checkpoint and one key per line. Export writes it and the
 * verifier demands it byte for byte, so what a reader sees in the file is exactly what is hashed
 * and signed: no duplicate member, escape, number spelling or extra member can hide in it.
 */
export function bundleText(bundle: Bundle, payloadTexts: readonly string[]): string {
  const { entries, checkpoints, keys, ...header } = bundle;
  const head = JSON.stringify(header, null, 2).slice(0, -2);
  const lines = entries.map(
    (e, i) =>
      `    {"ceremony_id":${JSON.stringify(e.ceremony_id)},"seq":${e.seq},"kind":${JSON.stringify(e.kind)},"payload":${payloadTexts[i]},` +
      `"recorded_at":${JSON.stringify(e.recorded_at)},"prev_hash":${JSON.stringify(e.prev_hash)},"hash":${JSON.stringify(e.hash)}}`,
  );
  const list = (items: readonly unknown[]) => (items.length ? `[\n${items.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]` : '[]');
  return `${head},\n  "entries": [\n${lines.join(',\n')}\n  ],\n  "checkpoints": ${list(checkpoints)},\n  "keys": ${list(keys)}\n}\n`;
}
