/**
 * Journal text is always valid Unicode. JavaScript strings may hold a lone UTF-16 surrogate (a
 * cut through a pair, a `\udXXX` escape in a JSON file); UTF-8, BSON and every other language
 * cannot, so such a string would hash differently outside JavaScript and come back from MongoDB
 * as U+FFFD, a permanent "conflict". These helpers keep it out at the edges.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function hasLoneSurrogate(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text);
}

/** Each lone surrogate replaced by U+FFFD, and how many there were. */
export function replaceLoneSurrogates(text: string): { text: string; replaced: number } {
  let replaced = 0;
  const out = text.replace(LONE_SURROGATE, () => {
    replaced += 1;
    return '\ufffd';
  });
  return { text: out, replaced };
}

/** The first `max` UTF-16 units, never ending in half of a surrogate pair. */
export function cutAtCodePoint(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Where in a JSON value (keys included) the first lone surrogate is, as `a.b[2].c`, or undefined. */
export function findLoneSurrogate(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') return hasLoneSurrogate(value) ? at || '(the text)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLoneSurrogate(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const path = at ? `${at}.${key}` : key;
      if (hasLoneSurrogate(key)) return `${replaceLoneSurrogates(path).text} (the key)`;
      const found = findLoneSurrogate(v, path);
      if (found) return found;
    }
  }
  return undefined;
}

/** A deep copy of a JSON value (Dates and other non-plain objects kept as they are) with every lone surrogate (in keys and strings) replaced by U+FFFD. */
export function replaceLoneSurrogatesDeep<T>(value: T): { value: T; replaced: number } {
  let replaced = 0;
  const fix = (s: string) => {
    const r = replaceLoneSurrogates(s);
    replaced += r.replaced;
    return r.text;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fix(v);
    if (Array.isArray(v)) return v.map(walk);
    // Plain objects only: a Date or a binary value is kept as it is.
    if (v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [fix(k), walk(x)]));
    }
    return v;
  };
  const out = walk(value) as T;
  return { value: out, replaced };
}
