import { ObjectId, type Document } from 'bson';
import { compareValues, getPath, matchesFilter, valueKey } from './match-filter';

/** Raised for an insert whose _id is already present: the server turns it into E11000. */
export class DuplicateKeyError extends Error {
  readonly code = 11000;
  constructor(
    readonly namespace: string,
    readonly id: unknown,
  ) {
    super(
      `E11000 duplicate key error collection: ${namespace} index: _id_ dup key: { _id: ${typeof id === 'string' ? JSON.stringify(id) : valueKey(id)} }`,
    );
  }
}

/**
 * In-memory collections keyed by namespace ("db.coll"), with the one index every MongoDB
 * collection has: a unique _id. Insertion order is kept, as a real server's natural order mostly is.
 */
export class DocumentStore {
  private readonly collections = new Map<string, Map<string, Document>>();
  readonly indexes = new Map<string, Document[]>();

  private collection(ns: string, create: boolean): Map<string, Document> | undefined {
    let c = this.collections.get(ns);
    if (!c && create) {
      c = new Map();
      this.collections.set(ns, c);
    }
    return c;
  }

  insert(ns: string, doc: Document): void {
    const withId = doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc;
    const c = this.collection(ns, true)!;
    const key = valueKey(withId._id);
    if (c.has(key)) throw new DuplicateKeyError(ns, withId._id);
    c.set(key, withId);
  }

  has(ns: string, id: unknown): boolean {
    return this.collection(ns, false)?.has(valueKey(id)) ?? false;
  }

  get(ns: string, id: unknown): Document | undefined {
    return this.collection(ns, false)?.get(valueKey(id));
  }

  /** Overwrites a document directly, the way a tamperer with shell access would. */
  put(ns: string, doc: Document): void {
    this.collection(ns, true)!.set(valueKey(doc._id), doc);
  }

  remove(ns: string, id: unknown): boolean {
    return this.collection(ns, false)?.delete(valueKey(id)) ?? false;
  }

  all(ns: string): Document[] {
    return [...(this.collection(ns, false)?.values() ?? [])];
  }

  count(ns: string): number {
    return this.collection(ns, false)?.size ?? 0;
  }

  drop(ns: string): void {
    this.collections.delete(ns);
    this.indexes.delete(ns);
  }

  find(ns: string, filter: Document | undefined, sort?: Document): Document[] {
    const c = this.collection(ns, false);
    if (!c) return [];
    let docs: Document[];
    // Point lookups by _id equality or $in avoid a scan, so large soak collections stay fast.
    const idCondition = filter?._id;
    if (filter && Object.keys(filter).length === 1 && idCondition !== undefined && !isOperatorDoc(idCondition)) {
      const hit = c.get(valueKey(idCondition));
      docs = hit ? [hit] : [];
    } else if (
      filter &&
      Object.keys(filter).length === 1 &&
      isOperatorDoc(idCondition) &&
      Object.keys(idCondition).length === 1 &&
      Array.isArray(idCondition.$in)
    ) {
      docs = (idCondition.$in as unknown[])
        .map((id) => c.get(valueKey(id)))
        .filter((d): d is Document => d !== undefined);
    } else {
      docs = [...c.values()].filter((d) => matchesFilter(d, filter));
    }
    return sort ? sortDocuments(docs, sort) : docs;
  }
}

/** Sorts in place by the fields of a MongoDB sort spec ({ a: 1, b: -1 }). */
export function sortDocuments(docs: Document[], sort: Document): Document[] {
  const fields = Object.entries(sort) as Array<[string, number]>;
  if (fields.length === 0) return docs;
  return docs.sort((a, b) => {
    for (const [field, direction] of fields) {
      const diff = compareValues(getPath(a, field), getPath(b, field));
      if (diff !== 0) return direction < 0 ? -diff : diff;
    }
    return 0;
  });
}

function isOperatorDoc(v: unknown): v is Document {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof ObjectId) &&
    Object.keys(v).every((k) => k.startsWith('$'))
  );
}
