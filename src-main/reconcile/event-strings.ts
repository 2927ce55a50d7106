import { isRecord } from './read-json-file';
import type { TrailEvent } from './trail-event';

/** Every string in a JSON value (depth- and count-capped: request parameters can hold documents). */
export function stringsIn(v: unknown, out: string[] = [], depth = 0): string[] {
  if (out.length >= 1000 || depth > 8) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsIn(x, out, depth + 1);
  else if (isRecord(v)) for (const x of Object.values(v)) stringsIn(x, out, depth + 1);
  return out;
}

const cache = new WeakMap<TrailEvent, string[]>();

/** The names an event acts on: its resources and every string of its request parameters. */
export function namesOf(e: TrailEvent): string[] {
  let names = cache.get(e);
  if (!names) {
    names = [...e.resources, ...stringsIn(e.detail().requestParameters)];
    cache.set(e, names);
  }
  return names;
}

/** `i-0abc` names the same thing as `arn:aws:ec2:...:instance/i-0abc`; a role name its ARN. */
export function sameName(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || a.endsWith(`:${b}`) || b.endsWith(`/${a}`) || b.endsWith(`:${a}`);
}

/** Does the event act on every resource the declaration names? */
export function actsOn(e: TrailEvent, resources: readonly string[]): boolean {
  if (resources.length === 0) return true;
  const names = namesOf(e);
  return resources.every((r) => names.some((n) => sameName(n, r)));
}

export const param = (o: unknown, k: string): string =>
  isRecord(o) && typeof o[k] === 'string' ? (o[k] as string) : '';
export const nested = (o: unknown, k: string): Record<string, unknown> =>
  isRecord(o) && isRecord(o[k]) ? (o[k] as Record<string, unknown>) : {};
