/**
 * A file name or cause as it may be printed on a terminal or shown in the window: control
 * characters (which could move the cursor or recolour the screen), bidirectional overrides (which
 * could make a name read backwards) and lone surrogates become visible `\uXXXX` escapes.
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
