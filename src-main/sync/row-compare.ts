/**
 * Compares a row as the journal says it should be with the document the server holds.
 * Field order and number encodings (int32 vs double) do not matter; values, types of dates and
 * the set of fields do. Returns the dotted paths that differ (empty = the same row).
 */
export function differingFields(expected: unknown, actual: unknown, path = ''): string[] {
  const e = normalize(expected);
  const a = normalize(actual);
  // Wrapped scalars ({ $date }, { $oid }) are one value: a difference is the field's, not "field.$date".
  if (isPlainObject(e) && isPlainObject(a) && !isWrappedScalar(e) && !isWrappedScalar(a)) {
    const out: string[] = [];
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      out.push(...differingFields(e[key], a[key], path ? `${path}.${key}` : key));
    }
    return out;
  }
  return stableText(e) === stableText(a) ? [] : [path || '(row)'];
}

function isWrappedScalar(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0]!.startsWith('$');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Dates and BSON wrapper types as plain JSON, so equal values print equally. */
function normalize(value: unknown): unknown {
  if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString() };
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const bsontype = (value as { _bsontype?: string })._bsontype;
    if (bsontype === 'ObjectId') return { $oid: String((value as { toHexString(): string }).toHexString()) };
    if (bsontype === 'Int32' || bsontype === 'Double' || bsontype === 'Long')
      return Number((value as { valueOf(): unknown }).valueOf());
    if (bsontype !== undefined) return { [`$${bsontype}`]: String(value) };
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

function stableText(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      isPlainObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, v[k]]),
          )
        : v === undefined
          ? null
          : v,
    ) ?? 'undefined'
  );
}
