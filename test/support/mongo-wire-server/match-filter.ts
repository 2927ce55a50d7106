import { EJSON, ObjectId, type Document } from 'bson';

/**
 * The subset of MongoDB query semantics the tests and the sync module use: equality on (dotted)
 * paths, $eq/$ne/$gt/$gte/$lt/$lte/$in/$nin/$exists, and top-level $and/$or. Anything else is
 * refused loudly so a test never passes because a filter was silently ignored.
 */
export class UnsupportedQueryError extends Error {}

export function matchesFilter(doc: Document, filter: Document | undefined): boolean {
  if (!filter) return true;
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      if (!(condition as Document[]).every((f) => matchesFilter(doc, f))) return false;
    } else if (key === '$or') {
      if (!(condition as Document[]).some((f) => matchesFilter(doc, f))) return false;
    } else if (key.startsWith('$')) {
      throw new UnsupportedQueryError(`unsupported top-level operator ${key}`);
    } else if (!matchesCondition(getPath(doc, key), condition)) {
      return false;
    }
  }
  return true;
}

function isOperatorObject(value: unknown): value is Document {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    value instanceof Date ||
    value instanceof ObjectId
  )
    return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function matchesCondition(value: unknown, condition: unknown): boolean {
  if (!isOperatorObject(condition)) return valuesEqual(value, condition);
  for (const [op, arg] of Object.entries(condition)) {
    const ok = (() => {
      switch (op) {
        case '$eq':
          return valuesEqual(value, arg);
        case '$ne':
          return !valuesEqual(value, arg);
        case '$gt':
          return value !== undefined && compareValues(value, arg) > 0;
        case '$gte':
          return value !== undefined && compareValues(value, arg) >= 0;
        case '$lt':
          return value !== undefined && compareValues(value, arg) < 0;
        case '$lte':
          return value !== undefined && compareValues(value, arg) <= 0;
        case '$in':
          return (arg as unknown[]).some((a) => valuesEqual(value, a));
        case '$nin':
          return !(arg as unknown[]).some((a) => valuesEqual(value, a));
        case '$exists':
          return (value !== undefined) === Boolean(arg);
        default:
          throw new UnsupportedQueryError(`unsupported query operator ${op}`);
      }
    })();
    if (!ok) return false;
  }
  return true;
}

export function getPath(doc: Document, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Document)[part];
  }
  return current;
}

/** A stable text form of any BSON value, used as a map key and for equality. */
export function valueKey(value: unknown): string {
  return EJSON.stringify({ v: value as Document }, { relaxed: false });
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a === undefined || b === undefined)
    return a === b || (a === undefined && b === null) || (b === undefined && a === null);
  return valueKey(a) === valueKey(b);
}

/** BSON comparison order for the types used here: null < numbers < strings < objects < ObjectId < booleans < dates. */
const TYPE_ORDER = ['null', 'number', 'string', 'object', 'objectId', 'boolean', 'date'] as const;

function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (v instanceof ObjectId) return 4;
  if (typeof v === 'boolean') return 5;
  if (v instanceof Date) return 6;
  return TYPE_ORDER.indexOf('object');
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof ObjectId && b instanceof ObjectId) return a.toHexString().localeCompare(b.toHexString());
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const ka = valueKey(a);
  const kb = valueKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
