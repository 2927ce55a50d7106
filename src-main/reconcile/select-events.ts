import type { CeremonyFacts } from './ceremony-facts';
import { nested, param } from './event-strings';
import type { TrailEvent } from './trail-event';

export interface Selection {
  /** The session's calls inside the window: the principal's own and those of sessions chained from it. */
  inWindow: TrailEvent[];
  /** The session's calls outside the window (shown, never silently dropped). */
  outside: TrailEvent[];
  /** Calls of sessions the principal created with sts:AssumeRole (role chaining). */
  chained: TrailEvent[];
  /** Root task sessions (sts:AssumeRoot from the management account): root, but not this sign-in. */
  rootTasks: TrailEvent[];
  ignored: { otherPrincipals: number; outsideWindow: number; duplicates: number };
}

function isOwn(e: TrailEvent, facts: CeremonyFacts): boolean {
  const id = e.identity;
  if (facts.principal.kind === 'root')
    return id.type === 'Root' && (id.accountId === facts.account_id || id.arn === facts.principal.arn);
  if (id.type !== 'AssumedRole') return false;
  return (
    id.arn.startsWith(facts.principal.arn) ||
    (facts.principal.roleArn !== undefined && id.sessionIssuerArn === facts.principal.roleArn)
  );
}

/** Access keys handed out by successful AssumeRole calls among `events`. */
function issuedKeys(events: readonly TrailEvent[]): Set<string> {
  const keys = new Set<string>();
  for (const e of events) {
    if (e.eventSource !== 'sts.amazonaws.com' || !e.eventName.startsWith('AssumeRole') || e.errorCode) continue;
    const k = param(nested(nested(e.detail(), 'responseElements'), 'credentials'), 'accessKeyId');
    if (k) keys.add(k);
  }
  return keys;
}

/**
 * Picks the session's events: the ceremony's principal inside the window, plus every call made
 * with credentials that principal obtained by AssumeRole (followed through chains), deduplicated
 * by event id across files (a trail and lookup-events overlap).
 */
export function selectEvents(all: readonly TrailEvent[], facts: CeremonyFacts): Selection {
  const start = Date.parse(facts.window.start);
  const end = Date.parse(facts.window.end);
  const ignored = { otherPrincipals: 0, outsideWindow: 0, duplicates: 0 };
  const seen = new Set<string>();
  const unique: TrailEvent[] = [];
  for (const e of all) {
    if (seen.has(e.eventId)) ignored.duplicates++;
    else {
      seen.add(e.eventId);
      unique.push(e);
    }
  }
  const own: TrailEvent[] = [];
  const rootTasks: TrailEvent[] = [];
  const rest: TrailEvent[] = [];
  for (const e of unique) {
    if (!isOwn(e, facts)) rest.push(e);
    else if (e.identity.assumedRoot) rootTasks.push(e);
    else own.push(e);
  }
  // Role chaining: follow the keys the session handed itself, however deep.
  const chained: TrailEvent[] = [];
  let keys = issuedKeys(own);
  let others = rest;
  while (keys.size > 0) {
    const found = others.filter((e) => e.identity.accessKeyId !== undefined && keys.has(e.identity.accessKeyId));
    if (found.length === 0) break;
    chained.push(...found);
    const taken = new Set(found);
    others = others.filter((e) => !taken.has(e));
    keys = issuedKeys(found);
  }
  ignored.otherPrincipals = others.length + rootTasks.length;
  const inside = (e: TrailEvent) => {
    const t = Date.parse(e.eventTime);
    return t >= start && t <= end;
  };
  const inWindow = [...own.filter(inside), ...chained.filter(inside)];
  const outside = [...own, ...chained].filter((e) => !inside(e));
  ignored.outsideWindow = outside.length;
  inWindow.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventId.localeCompare(b.eventId));
  outside.sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  return { inWindow, outside, chained, rootTasks, ignored };
}
