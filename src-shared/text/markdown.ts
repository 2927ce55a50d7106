/**
 * Operator-typed (or bundle-supplied) text placed into a generated Markdown document. Every
 * document the app writes (session log, postmortem, quarterly review) escapes through here, so
 * no value can start a heading, a list item, a table row, a link, emphasis, raw HTML or an HTML
 * comment that hides what follows, and no control or bidi character can reorder what a reader sees.
 */
// Inline constructs (code, emphasis, links, tables, strike-through, HTML, entities) start with one of these anywhere.
// `_` between two letters or digits cannot open or close emphasis (CommonMark), so sso_unavailable stays readable.
const SPECIAL = /[\\`*[\]|~<>&]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// Block constructs (headings, quotes, lists, setext underlines) start a value that begins a line.
const LEADING = /^(#|>|[-+=]|\d+[.)])/;
// A block, not disable-next-line: the directive must still cover the regex once Prettier wraps it.
/* eslint-disable no-control-regex */
const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]|\p{Cs}/gu;
/* eslint-enable no-control-regex */
const ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/** One line of inert text: line breaks become spaces, every Markdown and HTML special is escaped. */
export function mdInline(text: string): string {
  const flat = text
    .replace(/\r\n?|\n/g, ' ')
    .replace(INVISIBLE, (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
    .trim();
  return flat.replace(SPECIAL, (c) => ENTITY[c] ?? `\\${c}`).replace(LEADING, '\\$1') || '-';
}

/** Markup the document itself writes (bold verdict words), never text that came from a person or a file. */
export interface AppMarkup {
  md: string;
}

/** A table: every text cell is inline text (a `|` cannot open another column); AppMarkup cells pass as written. */
export function mdTable(head: string[], rows: Array<Array<string | AppMarkup>>): string[] {
  if (rows.length === 0) return [];
  const cell = (c: string | AppMarkup) => (typeof c === 'string' ? mdInline(c) : c.md);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

/** A fenced code block that its content cannot close: the fence is longer than any backtick run inside. */
export function mdFence(content: string, lang = ''): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${content.replace(INVISIBLE, (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)}\n${fence}`;
}
