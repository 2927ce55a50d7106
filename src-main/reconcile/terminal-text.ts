/**
 * Text from an input file (a name, an event field) as it may be printed on a terminal or put in
 * a report: control characters, bidirectional overrides and lone surrogates become visible
 * `\uXXXX` escapes. Same rule as issue 14's `src-main/fs/printable.ts`; swap to it once merged.
 */
export function printable(text: string): string {
  // A block, not disable-next-line: the directive must still cover the regex once Prettier wraps the call.
  /* eslint-disable no-control-regex */
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  /* eslint-enable no-control-regex */
}
