import type { Bundle } from '../../src-shared/journal/types';
import type { CeremonyFacts } from './ceremony-facts';
import { nested, param } from './event-strings';
import type { NamedWarning } from './reconciliation-types';
import type { Selection } from './select-events';
import type { TrailEvent } from './trail-event';

const ids = (es: readonly TrailEvent[]) => es.map((e) => e.eventId);
const list = (es: readonly TrailEvent[]) =>
  es
    .slice(0, 10)
    .map((e) => `${e.eventTime} ${e.eventName} [${e.eventId}]`)
    .join('; ') + (es.length > 10 ? `; and ${es.length - 10} more` : '');
const latest = (b: Bundle, kind: string) => [...b.entries].reverse().find((x) => x.kind === kind);
const isIp = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || /^[0-9a-f:]+:[0-9a-f:]*$/i.test(s);

/**
 * What the session's principal did that no declaration can excuse, each a named warning with
 * the event ids that show it: runbook rules ("root has no access keys", MFA) and session shape
 * (one role session, nothing after expiry, nothing outside the window, no task sessions).
 */
export function principalChecks(bundle: Bundle, facts: CeremonyFacts, sel: Selection, notes: string[]): NamedWarning[] {
  const out: NamedWarning[] = [];
  const warn = (code: string, message: string, es: readonly TrailEvent[] = []) =>
    out.push({ code, message, eventIds: ids(es) });

  const afterExpiry = facts.expiration
    ? sel.outside.concat(sel.inWindow).filter((e) => Date.parse(e.eventTime) > Date.parse(facts.expiration as string))
    : [];
  const outside = sel.outside.filter((e) => !afterExpiry.includes(e));
  if (outside.length)
    warn(
      'activity-outside-window',
      `${outside.length} call(s) of the session's principal outside the window ${facts.window.start} to ${facts.window.end}: ${list(outside)}`,
      outside,
    );
  if (afterExpiry.length) {
    warn(
      'calls-after-expiry',
      `${afterExpiry.length} call(s) after the role credentials expired at ${facts.expiration}: a renewed or second session ("We renewed the breakglass instead of cleaning up" is a separate incident): ${list(afterExpiry)}`,
      afterExpiry,
    );
  }
  if (sel.chained.length)
    warn(
      'chained-session',
      `${sel.chained.length} call(s) made with credentials the session obtained by sts:AssumeRole (role chaining); they are reconciled as the session's own: ${list(sel.chained)}`,
      sel.chained,
    );
  if (sel.rootTasks.length)
    warn(
      'root-task-session',
      `${sel.rootTasks.length} root call(s) from an sts:AssumeRoot task session (a privileged principal of the management account, not this sign-in): ${list(sel.rootTasks)}`,
      sel.rootTasks,
    );

  if (facts.principal.kind === 'assumed-role') {
    const sessions = new Map<string, TrailEvent[]>();
    for (const e of sel.inWindow.filter((x) => !sel.chained.includes(x))) {
      const k = e.identity.accessKeyId ?? e.identity.arn;
      sessions.set(k, [...(sessions.get(k) ?? []), e]);
    }
    if (sessions.size > 1) {
      const firsts = [...sessions.values()].map((es) => es[0] as TrailEvent);
      warn(
        'several-role-sessions',
        `${sessions.size} sessions of the role in one window (${[...sessions.values()].map((es) => `${(es[0] as TrailEvent).identity.arn} from ${(es[0] as TrailEvent).eventTime}`).join('; ')}): each needs its own ceremony`,
        firsts,
      );
    }
    return out;
  }

  const longTerm = sel.inWindow.concat(sel.outside).filter((e) => e.identity.accessKeyId?.startsWith('AKIA'));
  if (longTerm.length)
    warn(
      'root-long-term-access-key',
      `${longTerm.length} root call(s) signed with a long-term access key (${[...new Set(longTerm.map((e) => e.identity.accessKeyId))].join(', ')}); "Root user has no programmatic access keys ever": ${list(longTerm)}`,
      longTerm,
    );

  const logins = sel.inWindow.filter((e) => e.eventSource === 'signin.amazonaws.com' && e.eventName === 'ConsoleLogin');
  if (logins.length === 0) {
    warn(
      'no-root-sign-in',
      'no root ConsoleLogin event in the window: the journal says a sign-in happened but CloudTrail does not show it (wrong account, region or time range?)',
    );
    return out;
  }
  const result = (e: TrailEvent) => param(nested(e.detail(), 'responseElements'), 'ConsoleLogin');
  const noMfa = logins.filter(
    (e) => result(e) === 'Success' && param(nested(e.detail(), 'additionalEventData'), 'MFAUsed') === 'No',
  );
  if (noMfa.length) {
    const scenario = String(latest(bundle, 'scenario_selected')?.payload.scenario_id ?? '');
    const why = /mfa/i.test(scenario)
      ? `allowed by the scenario "${scenario}" (MFA device lost), still to be explained in the postmortem`
      : 'the runbook requires MFA on root; only the MFA-lost scenario signs in without it';
    warn('root-sign-in-without-mfa', `root ConsoleLogin with MFAUsed "No": ${why}`, noMfa);
  }

  // The audit row may say the sign-in failed: CloudTrail must agree, and a failed attempt leaves no calls.
  const rowResult = (latest(bundle, 'audit_row_written')?.payload.row as { result?: unknown } | undefined)?.result;
  const succeeded = logins.filter((l) => result(l) === 'Success');
  if (rowResult === 'failure') {
    if (succeeded.length)
      warn(
        'sign-in-result-differs',
        `the audit row says the root sign-in failed, but CloudTrail shows a successful root ConsoleLogin at ${succeeded.map((l) => l.eventTime).join(', ')}: a console session existed`,
        succeeded,
      );
    const calls = sel.inWindow.filter((x) => x.eventName !== 'ConsoleLogin');
    if (calls.length)
      warn(
        'calls-after-failed-sign-in',
        `${calls.length} root call(s) in the window of a sign-in recorded as failed`,
        calls,
      );
  } else if (rowResult === 'success' && succeeded.length === 0 && logins.every((l) => result(l) === 'Failure')) {
    warn(
      'sign-in-result-differs',
      'CloudTrail shows only failed root ConsoleLogin events, but the audit row says the sign-in succeeded',
      logins,
    );
  }

  const signedIn = latest(bundle, 'signed_in');
  const ip = signedIn && typeof signedIn.payload.ip_address === 'string' ? signedIn.payload.ip_address : '';
  if (!isIp(ip)) {
    // A drill signs in nowhere: its "unknown" address is expected, not a finding.
    if (facts.drill)
      notes.push(
        `drill: the journal records the sign-in address as "${ip || 'missing'}"; the address check was skipped`,
      );
    else
      warn(
        'sign-in-ip-not-recorded',
        `the journal records the sign-in address as "${ip || 'missing'}", so CloudTrail's ${logins.map((l) => l.sourceIPAddress ?? '?').join(', ')} cannot be checked against it`,
        logins,
      );
  } else if (!logins.some((l) => l.sourceIPAddress === ip)) {
    warn(
      'sign-in-ip-differs',
      `root ConsoleLogin came from ${logins.map((l) => l.sourceIPAddress ?? '?').join(', ')} but the journal records ${ip}`,
      logins,
    );
  }
  return out;
}
