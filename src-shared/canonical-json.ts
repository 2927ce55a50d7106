/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 * The hash of every journal entry and checkpoint challenge is taken over this encoding, so a
 * verifier in any language can reproduce it: object keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript shortest form, strings with the minimal JSON escapes.
 *
 * Only I-JSON (RFC 7493) values are encoded: an integer beyond +-(2^53 - 1) or a string with a
 * lone surrogate is refused, because other RFC 8785 implementations reject or re-spell them and
 * the promise is that any of them reproduces the hash.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {}

export function canonicalize(value: unknown): string {
  return encode(value, '$');
}

// In a /u regex a surrogate pair is one code point, so \p{Cs} matches only a lone surrogate.
const LONE_SURROGATE = /\p{Cs}/u;

function encodeString(value: string, where: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(`${where}: a lone UTF-16 surrogate is not I-JSON text`);
  return JSON.stringify(value);
}

function encode(value: unknown, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${where}: ${value} is not a JSON number`);
      {
        // ECMAScript Number-to-String is exactly the RFC 8785 number serialization; -0 becomes 0.
        const text = Object.is(value, -0) ? '0' : String(value);
        // An integer literal past 2^53 - 1 (below 1e21 it prints without an exponent) is one other
        // parsers read differently (exact big integers, or a rejection); 1e+30 is a plain double.
        if (!Number.isSafeInteger(value) && /^-?\d+$/.test(text))
          throw new CanonicalJsonError(`${where}: integer ${text} is beyond +-(2^53 - 1), not I-JSON`);
        return text;
      }
    case 'string':
      return encodeString(value, where);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => encode(item, `${where}[${i}]`)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(`${where}: only plain objects can be canonicalized`);
      }
      const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
      // JSON.parse keeps "__proto__" as a member, object literals and many readers drop it or
      // change the prototype: a document with one is read differently by different programs.
      if (keys.includes('__proto__'))
        throw new CanonicalJsonError(
          `${where}: a member named "__proto__" is read differently by different JSON readers`,
        );
      // Default sort compares UTF-16 code units, which is what RFC 8785 section 3.2.3 requires.
      keys.sort();
      return `{${keys.map((k) => `${encodeString(k, where)}:${encode((value as Record<string, unknown>)[k], `${where}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`${where}: ${typeof value} is not JSON`);
  }
}
