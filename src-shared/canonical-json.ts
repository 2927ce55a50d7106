/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 * The hash of every journal entry and checkpoint challenge is taken over this encoding, so a
 * verifier in any language can reproduce it: object keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript shortest form, strings with the minimal JSON escapes.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {}

export function canonicalize(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${where}: ${value} is not a JSON number`);
      // ECMAScript Number-to-String is exactly the RFC 8785 number serialization; -0 becomes 0.
      return Object.is(value, -0) ? '0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => encode(item, `${where}[${i}]`)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(`${where}: only plain objects can be canonicalized`);
      }
      const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
      // Default sort compares UTF-16 code units, which is what RFC 8785 section 3.2.3 requires.
      keys.sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode((value as Record<string, unknown>)[k], `${where}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`${where}: ${typeof value} is not JSON`);
  }
}
