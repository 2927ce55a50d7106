/** Operator-typed text inside a markdown table cell or line: no table breaks, no injected headings or HTML. */
export function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim() || '-';
}

export function inline(text: string): string {
  return cell(text).replace(/^#+\s*/, '').replace(/`/g, "'");
}

export function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}
