import type { JsonObject } from '../../src-shared/canonical-json';
import type { Bundle, JournalEntry } from '../../src-shared/journal/types';
import type { TimelineItem } from '../../src-shared/reconcile/timeline-item';
import type { Reconciliation } from './reconciliation-types';

export type { TimelineItem };

const s = (p: JsonObject, k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');

/** The time the entry is about (what the operator entered), falling back to when it was recorded. */
function whenOf(e: JournalEntry): string {
  const field = {
    signed_in: 'signed_in_at',
    signed_out: 'signed_out_at',
    action_logged: 'logged_at',
    role_session_started: 'session_started_at',
    founder_notified: 'notified_at',
    sso_probe: 'attempted_at',
    aftercare_evidence: 'evidence_at',
  }[e.kind];
  const v = field ? s(e.payload, field) : '';
  return v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : e.recorded_at;
}

function labelOf(e: JournalEntry): string | null {
  const p = e.payload;
  switch (e.kind) {
    case 'ceremony_started':
      return `ceremony started (${s(p, 'type')}${p.drill === true ? ', drill' : ''})`;
    case 'scenario_selected':
      return `scenario ${s(p, 'scenario_id')}: ${s(p, 'reason')}`;
    case 'sso_probe':
      return `SSO probe: ${s(p, 'outcome')}`;
    case 'founder_notified':
      return `notified ${s(p, 'name')} by ${s(p, 'channel')}`;
    case 'account_selected':
      return `account ${s((p.account ?? {}) as JsonObject, 'name')} ${s((p.account ?? {}) as JsonObject, 'account_id')}`;
    case 'signed_in':
      return `signed in from ${s(p, 'ip_address')}`;
    case 'audit_row_written':
      return 'agent_audit_log row written';
    case 'role_session_started':
      return `role session started, expires ${s(p, 'expiration')} (approver ${s(p, 'approver')}, cleanup owner ${s(p, 'cleanup_owner')})`;
    case 'action_logged':
      return `logged: ${s(p, 'text')}`;
    case 'minimal_action_done':
      return `minimal action done: ${s(p, 'summary')}`;
    case 'signed_out':
      return 'signed out';
    case 'ceremony_aborted':
      return `aborted: ${s(p, 'reason')}`;
    case 'note':
      return `note: ${s(p, 'text')}`;
    case 'aftercare_evidence':
      return `evidence for ${s(p, 'item_id')}: ${s(p, 'text')}`;
    case 'aftercare_signoff':
      return `sign-off by ${s(p, 'by')}: ${s(p, 'text')}`;
    default:
      return null;
  }
}

/** Journal entries and CloudTrail events of the session on one time axis, oldest first. */
export function buildTimeline(bundle: Bundle, r: Reconciliation | null): TimelineItem[] {
  const missing = new Set((r?.declaredButMissing ?? []).map((d) => d.seq));
  const items: TimelineItem[] = [];
  for (const e of bundle.entries) {
    const label = labelOf(e);
    if (label === null) continue;
    items.push({ at: whenOf(e), source: 'journal', label, seq: e.seq, mark: missing.has(e.seq) ? 'missing' : null });
  }
  if (r) {
    const name = (x: { eventSource: string; eventName: string; resources: string[]; errorCode?: string }) =>
      `${x.eventSource.replace('.amazonaws.com', '')}:${x.eventName}${x.resources.length ? ` ${x.resources.join(', ')}` : ''}${x.errorCode ? ` (failed: ${x.errorCode})` : ''}`;
    const readOnly = new Set(r.readOnly.map((x) => x.eventId));
    for (const x of r.session)
      items.push({ at: x.eventTime, source: 'cloudtrail', label: name(x), eventId: x.eventId, mark: 'session' });
    for (const x of r.matched)
      items.push({
        at: x.eventTime,
        source: 'cloudtrail',
        label: name(x),
        eventId: x.eventId,
        mark: readOnly.has(x.eventId) ? 'read-only' : 'matched',
      });
    for (const x of r.unexpected)
      items.push({ at: x.eventTime, source: 'cloudtrail', label: name(x), eventId: x.eventId, mark: 'unexpected' });
    // A declared call AWS refused did not happen: red like an undeclared change (older reports lack the list).
    for (const x of r.declaredButRefused ?? [])
      items.push({
        at: x.eventTime,
        source: 'cloudtrail',
        label: `${name(x)} (declared, refused)`,
        eventId: x.eventId,
        mark: 'unexpected',
      });
    for (const x of r.readOnly)
      if (!x.declared)
        items.push({ at: x.eventTime, source: 'cloudtrail', label: name(x), eventId: x.eventId, mark: 'read-only' });
  }
  // Stable: same instant keeps journal before CloudTrail, then insertion order.
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.at.localeCompare(b.item.at) || a.i - b.i)
    .map(({ item }) => item);
}
