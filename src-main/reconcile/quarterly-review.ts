import { ceremonyChecklistStatus, ceremonyTypeOf } from '../../src-shared/aftercare/ceremony-checklist';
import type { JsonObject } from '../../src-shared/canonical-json';
import type { JournalEntry } from '../../src-shared/journal/types';
import { cell, inline, table } from './markdown';

export interface ReviewCeremony {
  ceremony_id: string;
  entries: JournalEntry[];
  /** The evidence verifier's verdict on the ceremony as its bundle would be exported. */
  evidence: { verdict: string; findings: Array<{ verdict: string; seq: number | null; reason: string }> };
}

const intact = (c: ReviewCeremony) => c.evidence.verdict === 'INTACT' || c.evidence.verdict === 'DRILL INTACT';
const firstFinding = (c: ReviewCeremony) => {
  const f = c.evidence.findings[0];
  return f ? `${f.seq === null ? '' : `seq ${f.seq}: `}${f.reason}` : '';
};

export interface ReviewOptions {
  from: Date;
  to: Date;
  now: Date;
}

export interface QuarterlyReview {
  markdown: string;
  /** Findings that need someone's attention; empty means the quarter is clean. */
  warnings: string[];
}

/** The runbook: "Stale after 90 days without exercise." */
export const STALE_AFTER_DAYS = 90;
const DAY = 86_400_000;

const latest = (e: readonly JournalEntry[], kind: string) => [...e].reverse().find((x) => x.kind === kind);

/** The SSO check as the review reads it: the last answer, and how many tries it took. */
function ssoCheck(e: readonly JournalEntry[]): string {
  const probes = e.filter((x) => x.kind === 'sso_probe');
  const last = probes.at(-1);
  if (!last) return ceremonyTypeOf(e) === 'root-login' ? 'not made' : 'none (role ceremony)';
  return `${s(last.payload, 'outcome')}${probes.length > 1 ? ` (after ${probes.length} tries)` : ''}`;
}

/** Anti-pattern warnings the running log raised (reconnaissance, access keys, ...). */
function sessionWarnings(e: readonly JournalEntry[]): number {
  return e
    .filter((x) => x.kind === 'action_logged')
    .reduce((n, x) => n + (Array.isArray(x.payload.warnings) ? x.payload.warnings.length : 0), 0);
}
const s = (p: JsonObject | undefined, k: string) => (p && typeof p[k] === 'string' ? (p[k] as string) : '');
const o = (p: JsonObject | undefined, k: string): JsonObject | undefined => {
  const v = p?.[k];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
};
const day = (iso: string) => iso.slice(0, 10);

/** The root sign-in failed: the audit row says result "failure" (and what happened). */
const signInFailure = (e: readonly JournalEntry[]): string | null => {
  const row = o(latest(e, 'audit_row_written')?.payload, 'row');
  return s(row, 'result') === 'failure' ? s(o(row, 'metadata'), 'failure') || 'no reason given' : null;
};

/** Signed out, not aborted, and signed in: a ceremony that ran the runbook to its end (a failed sign-in did not). */
const completed = (c: ReviewCeremony) =>
  latest(c.entries, 'signed_out') !== undefined &&
  latest(c.entries, 'ceremony_aborted') === undefined &&
  signInFailure(c.entries) === null;
const startedAt = (c: ReviewCeremony) => c.entries[0]?.recorded_at ?? '';

/** Does the agent_audit_log row say what the journal says (who, which account, from where)? */
function auditAgreement(e: readonly JournalEntry[]): { ok: boolean | null; text: string } {
  if (ceremonyTypeOf(e) === 'breakglass-role') return { ok: null, text: 'n/a (role session)' };
  const row = o(latest(e, 'audit_row_written')?.payload, 'row');
  if (!row) return { ok: false, text: 'no audit row written' };
  const operator = o(e.find((x) => x.kind === 'ceremony_started')?.payload, 'operator');
  const account = o(latest(e, 'account_selected')?.payload, 'account');
  const signedIn = latest(e, 'signed_in');
  const diffs: string[] = [];
  if (operator && s(row, 'actor_id') !== s(operator, 'id'))
    diffs.push(`actor ${s(row, 'actor_id')} vs operator ${s(operator, 'id')}`);
  if (account && s(row, 'resource_id') !== s(account, 'account_id'))
    diffs.push(`account ${s(row, 'resource_id')} vs ${s(account, 'account_id')}`);
  if (signedIn && s(row, 'ip_address') !== s(signedIn.payload, 'ip_address'))
    diffs.push(`IP ${s(row, 'ip_address')} vs ${s(signedIn.payload, 'ip_address')}`);
  return diffs.length ? { ok: false, text: `differs: ${diffs.join('; ')}` } : { ok: true, text: 'agrees' };
}

/** What the attached reconciliation says, if there is one. */
function cloudTrailAgreement(e: readonly JournalEntry[]): { ok: boolean | null; text: string } {
  const att = latest(e, 'reconciliation_attached');
  if (!att) return { ok: null, text: 'not reconciled' };
  const sum = o(att.payload, 'summary') ?? {};
  const n = (k: string) => (typeof sum[k] === 'number' ? (sum[k] as number) : 0);
  const problems: string[] = [];
  if (n('unexpected')) problems.push(`${n('unexpected')} undeclared call(s)`);
  if (n('declared_but_missing')) problems.push(`${n('declared_but_missing')} declared call(s) missing`);
  if (sum.sign_in_seen === false) problems.push('sign-in not in CloudTrail');
  const extra = n('read_only') ? `; ${n('read_only')} read-only` : '';
  return problems.length
    ? { ok: false, text: `differs: ${problems.join(', ')}${extra}` }
    : { ok: true, text: `agrees (${n('matched')} matched${extra})` };
}

function rotationEvidence(e: readonly JournalEntry[]): string {
  const ev = e.filter(
    (x) =>
      x.kind === 'aftercare_evidence' &&
      ['root.rotate-credentials', 'cleanup.rotate'].includes(s(x.payload, 'item_id')),
  );
  return ev.length ? ev.map((x) => `${s(x.payload, 'text')} (${day(s(x.payload, 'evidence_at'))})`).join('; ') : '';
}

/**
 * The quarterly access review of the root-login runbook ("Post-event review"): every ceremony in
 * the range with its minimal-action confirmation, rotation evidence and whether journal, audit row
 * and CloudTrail agree; the cleanup runbook's "When this runbook last worked" table; and a warning
 * when nothing exercised the runbook in the last 90 days.
 */
export function renderQuarterlyReview(ceremonies: readonly ReviewCeremony[], options: ReviewOptions): QuarterlyReview {
  const from = options.from.getTime();
  const to = options.to.getTime();
  const inRange = ceremonies.filter((c) => {
    const t = Date.parse(startedAt(c));
    return t >= from && t <= to;
  });
  const warnings: string[] = [];
  const out: string[] = [];
  out.push(
    `# Quarterly access review: break-glass, ${day(options.from.toISOString())} to ${day(options.to.toISOString())}`,
    '',
  );
  out.push(`Generated ${options.now.toISOString()} from the local journal. ${inRange.length} ceremonies in range.`, '');

  const done = ceremonies.filter(completed).sort((a, b) => startedAt(b).localeCompare(startedAt(a)));
  const last = done[0];
  const staleSince = options.now.getTime() - STALE_AFTER_DAYS * DAY;
  if (!last || Date.parse(startedAt(last)) < staleSince) {
    const w = `no real or drill break-glass ceremony in the last ${STALE_AFTER_DAYS} days (last: ${last ? day(startedAt(last)) : 'never'}): the runbook is stale; schedule a drill at the next game-day`;
    warnings.push(w);
    out.push(`> **WARNING:** ${w}.`, '');
  }

  out.push('## Ceremonies', '');
  if (inRange.length === 0) out.push('No ceremonies in this range.');
  for (const c of inRange) {
    const e = c.entries;
    const started = e.find((x) => x.kind === 'ceremony_started');
    const operator = o(started?.payload, 'operator');
    const account = o(latest(e, 'account_selected')?.payload, 'account');
    const role = latest(e, 'role_session_started');
    const minimal = latest(e, 'minimal_action_done');
    const aborted = latest(e, 'ceremony_aborted');
    const rotation = rotationEvidence(e);
    const audit = auditAgreement(e);
    const trail = cloudTrailAgreement(e);
    const checklist = ceremonyChecklistStatus(e, options.now);
    const journal = intact(c)
      ? `${c.evidence.verdict} (${e.length} entries)`
      : `${c.evidence.verdict}: ${firstFinding(c)}`;
    const agree = intact(c) && audit.ok !== false && trail.ok === true;
    const id = c.ceremony_id;

    out.push(`### ${inline(id)}${started?.payload.drill === true ? ' (drill)' : ''}`, '');
    out.push(
      ...table(
        ['', ''],
        [
          ['Started', startedAt(c)],
          ['Type', ceremonyTypeOf(e)],
          ['Operator', `${s(operator, 'name')} (${s(operator, 'id')})`],
          ['Account / role', role ? s(role.payload, 'role_arn') : `${s(account, 'name')} ${s(account, 'account_id')}`],
          ['Why', s(latest(e, 'scenario_selected')?.payload, 'reason') || 'not recorded'],
          ['SSO check', ssoCheck(e)],
          ['Warnings during the session', String(sessionWarnings(e))],
          [
            'Outcome',
            aborted
              ? `aborted: ${s(aborted.payload, 'reason')}`
              : signInFailure(e) !== null
                ? `root sign-in failed: ${signInFailure(e)}`
                : completed(c)
                  ? 'completed (signed out)'
                  : 'not finished',
          ],
          ['Minimal action confirmed', minimal ? s(minimal.payload, 'summary') : 'NOT CONFIRMED'],
          ['Rotation evidence', rotation || 'NONE'],
          ['Journal', journal],
          ['Audit row', audit.text],
          ['CloudTrail', trail.text],
          ['Journal, audit row and CloudTrail agree', agree ? 'yes' : 'NO'],
          [
            'After-care',
            checklist
              ? `${checklist.summary.done}/${checklist.summary.total} evidenced, ${checklist.summary.overdue} overdue`
              : 'clock not started',
          ],
        ],
      ),
      '',
    );

    if (aborted) continue;
    const failed = signInFailure(e);
    if (failed !== null)
      warnings.push(`${id}: the root sign-in failed (${failed}); check CloudTrail shows no console session`);
    else if (!minimal) warnings.push(`${id}: minimal action not confirmed`);
    // Inconclusive on any scenario; SSO working is expected for some (console outage) and blocks sso-down.
    const sso = latest(e, 'sso_probe');
    if (sso && s(sso.payload, 'outcome') === 'inconclusive')
      warnings.push(`${id}: SSO was not confirmed down (${ssoCheck(e)})`);
    if (sessionWarnings(e) > 0)
      warnings.push(
        `${id}: ${sessionWarnings(e)} anti-pattern warning(s) on logged actions: was this the minimum action?`,
      );
    if (!rotation && completed(c)) warnings.push(`${id}: no rotation evidence`);
    if (!intact(c))
      warnings.push(`${id}: its evidence verifies as ${c.evidence.verdict}, not INTACT (${firstFinding(c)})`);
    if (audit.ok === false) warnings.push(`${id}: audit row ${audit.text}`);
    if (trail.ok === null && completed(c)) warnings.push(`${id}: not reconciled against CloudTrail`);
    if (trail.ok === false) warnings.push(`${id}: CloudTrail ${trail.text}`);
    if (checklist && checklist.summary.overdue > 0)
      warnings.push(`${id}: ${checklist.summary.overdue} after-care step(s) overdue`);
  }

  out.push('', '## When this runbook last worked', '');
  if (done.length === 0) out.push('Never: no completed ceremony in this journal.');
  out.push(
    ...table(
      ['Date', 'Session', 'Resolved by', 'Notes'],
      done.slice(0, 10).map((c) => {
        const e = c.entries;
        const checklist = ceremonyChecklistStatus(e, options.now);
        const notes = [
          e[0]?.payload.drill === true ? 'drill' : 'real',
          ceremonyTypeOf(e),
          checklist ? `after-care ${checklist.summary.done}/${checklist.summary.total}` : '',
          cloudTrailAgreement(e).text,
        ]
          .filter(Boolean)
          .join('; ');
        return [
          day(startedAt(c)),
          c.ceremony_id,
          `${s(o(e[0]?.payload, 'operator'), 'name')}: ${s(latest(e, 'scenario_selected')?.payload, 'scenario_id')}`,
          notes,
        ];
      }),
    ),
  );
  out.push(
    '',
    'Stale after 90 days without exercise. The quarterly game-day should include a dry-run break-glass.',
    '',
  );

  out.push('## Findings', '');
  out.push(...(warnings.length ? warnings.map((w) => `- ${cell(w)}`) : ['None.']));
  out.push(
    '',
    '## Review questions (root-login runbook, post-event review)',
    '',
    '- [ ] Each break-glass session was the minimum action required.',
    '- [ ] The credential rotations actually happened.',
    '- [ ] The session-log post-mortem matches the audit-log row and CloudTrail entries.',
    '- [ ] Decide whether the break-glass procedure needs updating based on these exercises.',
  );
  return { markdown: `${out.join('\n')}\n`, warnings };
}
