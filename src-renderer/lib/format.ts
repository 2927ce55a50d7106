/** Times on screen are UTC, said so: the journal and CloudTrail speak UTC, and so do the founders' notes. */
export function utcTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** An optional time field: empty means "now" (main's clock); otherwise it must be ISO with a zone. */
export function optionalIso(text: string): string | undefined {
  const t = text.trim();
  return t === '' ? undefined : t;
}
