import { canonicalize } from '../../src-shared/canonical-json';

/**
 * Is `text` the RFC 8785 spelling of `value`, where `value` is JSON.parse(text)? Exactly
 * `canonicalize(value) === text` (and false where canonicalize refuses the value), but without
 * building the canonical text for the common case: the verifier asks this of every one of a
 * bundle's 100,000 payloads.
 *
 * For a value JSON.parse made, canonicalize and JSON.stringify differ only in (1) member order:
 * JSON.stringify keeps the object's own order, which equals the sorted order when every object's
 * keys are already sorted by UTF-16 code units; (2) refusals: a "__proto__" member, an integer
 * beyond +-(2^53 - 1), a lone surrogate. JSON.stringify spells a lone surrogate as a \u escape,
 * so a text with no "\u" that equals JSON.stringify's output holds none. Any text with "\u" (also
 * the legal escape of a control character) and any value this walk cannot vouch for is decided by
 * canonicalize itself.
 */
export function isCanonicalText(value: unknown, text: string): boolean {
  if (text.indexOf('\\u') === -1 && plainSortedSafe(value) && JSON.stringify(value) === text) return true;
  try {
    return canonicalize(value) === text;
  } catch {
    return false;
  }
}

/** Every object's keys strictly ascending by code unit and none "__proto__"; every integer safe. */
function plainSortedSafe(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return true;
  if (typeof value === 'number')
    return Number.isFinite(value) && (Number.isSafeInteger(value) || !Number.isInteger(value));
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!plainSortedSafe(value[i])) return false;
    return true;
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === '__proto__' || (i > 0 && !(keys[i - 1]! < k))) return false;
    if (!plainSortedSafe((value as Record<string, unknown>)[k])) return false;
  }
  return true;
}
