import { eventNameKey } from '../../src-shared/aws/event-names';
import type { DeclaredAction } from './ceremony-facts';
import { actsOn } from './event-strings';
import type { TrailEvent } from './trail-event';

export interface Matching {
  /** event -> the declaration it carries out */
  declaredFor: Map<TrailEvent, DeclaredAction>;
  /** declarations with at least one event */
  confirmed: Set<DeclaredAction>;
}

/** Is `e` a call `d` names: same service and event name, same region if given, same resources? */
export function isCallOf(d: DeclaredAction, e: TrailEvent): boolean {
  if (e.eventSource.toLowerCase() !== d.event_source.toLowerCase()) return false;
  if (eventNameKey(e.eventName) !== eventNameKey(d.operation)) return false;
  if (d.region && e.awsRegion && e.awsRegion !== d.region) return false;
  return actsOn(e, d.resources);
}

/**
 * One declaration matches at most one call (a successful one before a refused one, then the
 * closest in time), so a single logged stop-instances cannot absorb other StopInstances calls.
 * Only `aws s3 sync`/`--recursive` lines, which make any number of calls, take every further
 * call of their operation on their bucket.
 */
export function matchDeclarations(declared: readonly DeclaredAction[], events: readonly TrailEvent[]): Matching {
  const gap = (d: DeclaredAction, e: TrailEvent) => Math.abs(Date.parse(d.logged_at) - Date.parse(e.eventTime));
  const pairs: Array<{ d: DeclaredAction; e: TrailEvent; failed: number; gap: number }> = [];
  for (const d of declared)
    for (const e of events) if (isCallOf(d, e)) pairs.push({ d, e, failed: e.errorCode ? 1 : 0, gap: gap(d, e) });
  pairs.sort(
    (a, b) => a.failed - b.failed || a.gap - b.gap || a.d.seq - b.d.seq || a.e.eventTime.localeCompare(b.e.eventTime),
  );

  const declaredFor = new Map<TrailEvent, DeclaredAction>();
  const confirmed = new Set<DeclaredAction>();
  for (const p of pairs) {
    if (confirmed.has(p.d) || declaredFor.has(p.e)) continue;
    declaredFor.set(p.e, p.d);
    confirmed.add(p.d);
  }
  for (const p of pairs) if (p.d.many && !declaredFor.has(p.e)) declaredFor.set(p.e, p.d);
  return { declaredFor, confirmed };
}
