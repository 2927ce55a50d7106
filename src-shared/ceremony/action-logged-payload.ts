import type { EntryPayload } from './entry-kinds';

/**
 * A running-log line's payload accepted without zod, when it plainly fits the action_logged
 * schema: exactly its four members, a non-empty text, a logged_at that zod's ISO datetime
 * accepts, nothing parsed and every warning a string. A long ceremony holds 100,000 of these and
 * the rules check derives the state over all of them.
 *
 * It only ever accepts: anything else (a parsed command, a day past the 28th, a time with an
 * offset or without milliseconds, a bad member) returns undefined and zod decides, so the
 * accepted set is a subset of zod's and every refusal keeps zod's message
 * (test/shared/ceremony/action-logged-payload.test.ts compares both).
 */
export function plainActionLogged(payload: unknown, loggedAtPlain = false): EntryPayload<'action_logged'> | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const proto = Object.getPrototypeOf(payload);
  if (proto !== Object.prototype) return undefined;
  let members = 0;
  // hasOwnProperty.call, which the engine answers inside for-in from the object's own key list;
  // Object.hasOwn is a full lookup per key.
  for (const key in payload) if (Object.prototype.hasOwnProperty.call(payload, key)) members += 1;
  if (members !== 4) return undefined;
  const { text, logged_at, parsed, warnings } = payload as Record<string, unknown>;
  if (
    typeof text !== 'string' ||
    text.length === 0 ||
    typeof logged_at !== 'string' ||
    !(loggedAtPlain || PLAIN_UTC.test(logged_at))
  )
    return undefined;
  if (!Array.isArray(parsed) || parsed.length !== 0 || !Array.isArray(warnings)) return undefined;
  for (let i = 0; i < warnings.length; i++) if (typeof warnings[i] !== 'string') return undefined;
  // Four own members and all four of these present (undefined fails the checks above): exactly
  // these, so the payload is already the value zod would build. It is returned as it is, not
  // copied: 100,000 copies kept in the derived state until the verdict cost the collector more
  // than the check itself. Nothing writes to a payload or to the derived state.
  return payload as EntryPayload<'action_logged'>;
}

/**
 * A running-log text that plainly passes log_action's text rule (meaningfulText(3, 1, 2000),
 * rules/log-action.ts): already trimmed, 3 to 2000 characters, an ASCII letter (so a word with a
 * letter), three different printable ASCII characters ignoring case. Accept-only like the above:
 * false means "ask the rule itself", which the verifier then does for that line alone.
 */
export function plainLogText(text: string): boolean {
  const n = text.length;
  if (n < 3 || n > 2000 || text.charCodeAt(0) <= 0x20 || text.charCodeAt(n - 1) <= 0x20) return false;
  let letter = false;
  let a = -1;
  let b = -1;
  let distinct = 0;
  for (let i = 0; i < n && !(letter && distinct >= 3); i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c >= 0x61 && c <= 0x7a) letter = true;
    if (c <= 0x20 || c >= 0x7f || distinct >= 3 || c === a || c === b) continue;
    if (distinct === 0) a = c;
    else if (distinct === 1) b = c;
    distinct += 1;
  }
  return letter && distinct >= 3;
}

/** A valid date in every year and month (days 01-28), a valid time, milliseconds, UTC: inside zod's datetime. */
export const PLAIN_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
