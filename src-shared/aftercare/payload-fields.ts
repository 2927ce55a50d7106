import type { JsonObject } from '../canonical-json';

/** Reads a journal payload field that must be a non-blank string; anything else is absent. */
export function text(payload: JsonObject, key: string): string | undefined {
  const v = payload[key];
  return typeof v === 'string' && v.trim().length > 0 ? v : undefined;
}

/** Reads an ISO timestamp field; absent or unparseable gives undefined. */
export function time(payload: JsonObject, key: string): number | undefined {
  const v = text(payload, key);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}
