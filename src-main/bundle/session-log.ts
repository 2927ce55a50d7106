import { consoleChangeWarnings } from '../../src-shared/aws/anti-patterns';
import type { JsonObject, JsonValue } from '../../src-shared/canonical-json';
import type { Bundle, JournalEntry } from '../../src-shared/journal/types';
import { mdFence, mdInline } from '../../src-shared/text/markdown';
import type { EvidenceReport } from '../evidence/verify-evidence';

/**
 * The session-log document the root-login runbook asks for within 24 hours
 * (docs/session-log/<date>-break-glass-<slug>.md): what was done, what triggered it, what was
 * changed, the expected return-to-normal time. Generated from the journal; the operator edits
 * the prose afterwards, the journal stays the evidence.
 */
export function sessionLogFileName(bundle: Bundle): string {
  return `${bundle.entries[0]!.recorded_at.slice(0, 10)}-break-glass-${sessionSlug(bundle)}.md`;
}

export function sessionSlug(bundle: Bundle): string {
  const account = text(latest(bundle.entries, 'account_selected')?.payload.account, 'name');
  const scenario = str(latest(bundle.entries, 'scenario_selected')?.payload.scenario_id);
  const kind = str(bundle.entries[0]!.payload.type);
  const words = [bundle.drill ? 'drill' : '', account, scenario || kind].filter(Boolean).join('-');
  const slug = words
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || bundle.ceremony_id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function renderSessionLog(
  bundle: Bundle,
  report?: Pick<EvidenceReport, 'verdict' | 'unsigned' | 'findings'>,
): string {
  const e = bundle.entries;
  const started = e[0]!;
  const scenario = latest(e, 'scenario_selected');
  const probe = latest(e, 'sso_probe');
  const account = latest(e, 'account_selected');
  const signedIn = latest(e, 'signed_in');
  const audit = latest(e, 'audit_row_written');
  const signedOut = latest(e, 'signed_out');
  const role = latest(e, 'role_session_started');
  const actions = e.filter((x) => x.kind === 'action_logged');
  const changed = actions.filter((a) => parsedActions(a).some((p) => p.read_only === false));
  // Console work described in words that the runbooks forbid (an access key, a user, a policy).
  const consoleChanges = actions.filter((a) => consoleChangeWarnings(str(a.payload.text)).length > 0);
  const warnings = actions.flatMap((a) => (Array.isArray(a.payload.warnings) ? a.payload.warnings.map(String) : []));
  const row = (audit?.payload.row ?? {}) as JsonObject;
  const meta = (row.metadata ?? {}) as JsonObject;
  const operator = started.payload.operator as JsonObject | undefined;
  const type = str(started.payload.type) || 'root-login';
  const linked = str(started.payload.linked_ceremony_id);
  const aborted = latest(e, 'ceremony_aborted');
  const lines: string[] = [];

  lines.push(`# Break-glass session log: ${started.recorded_at.slice(0, 10)}${bundle.drill ? ' (DRILL)' : ''}`, '');
  if (bundle.drill)
    lines.push('> **DRILL**: this was a dry-run exercise with the virtual key. No AWS credential was used.', '');
  if (aborted) lines.push(`> **ABORTED** at ${str(aborted.recorded_at)}: ${str(aborted.payload.reason)}`, '');
  lines.push(`- Ceremony: ${str(bundle.ceremony_id)} (${str(type)})`);
  if (linked) lines.push(`- Renewal of: ${linked} (a new ceremony linked to it, never an extension of its session)`);
  lines.push(`- Operator: ${operator ? `${str(operator.name)} &lt;${str(operator.id)}&gt;` : 'unknown'}`);
  if (type === 'breakglass-role') {
    // No console sign-in and no account pick in this runbook: the role session is the session.
    lines.push(
      `- Role session: ${role ? `${str(role.payload.role_arn)}, started ${str(role.payload.session_started_at)}, expires ${str(role.payload.expiration)}` : 'not recorded'}` +
        `; ended: ${str(signedOut?.payload.signed_out_at) || 'not recorded'}` +
        (signedOut ? ` (${str(signedOut.payload.duration_minutes)} min)` : ''),
    );
  } else {
    lines.push(
      `- Account: ${account ? `${text(account.payload.account, 'name')} (${text(account.payload.account, 'account_id')}), ${text(account.payload.account, 'principal')}` : 'not selected'}`,
      `- Signed in: ${str(signedIn?.payload.signed_in_at) || 'not recorded'}; signed out: ${str(signedOut?.payload.signed_out_at) || 'not recorded'}` +
        (signedOut
          ? ` (${str(signedOut.payload.duration_minutes)} min; expected ${str(meta.expected_session_duration_minutes) || '?'} min)`
          : ''),
    );
  }
  lines.push('');

  lines.push('## What triggered it', '');
  if (scenario) {
    lines.push(`Scenario: **${str(scenario.payload.scenario_id)}**. Reason: ${str(scenario.payload.reason)}`, '');
    const evidence = scenario.payload.evidence;
    if (evidence && typeof evidence === 'object' && !Array.isArray(evidence)) {
      for (const [k, v] of Object.entries(evidence)) lines.push(`- ${str(k)}: ${str(v)}`);
      lines.push('');
    }
  } else lines.push('No scenario recorded.', '');
  if (probe) {
    const probes = e.filter((x) => x.kind === 'sso_probe');
    probes.forEach((p, i) => {
      lines.push(
        `SSO check (${probes.length === 1 ? 'one attempt' : `attempt ${i + 1} of ${probes.length}`}, ${str(p.payload.attempted_at)}): **${str(p.payload.outcome)}**` +
          (p.payload.error_name ? `: ${str(p.payload.error_name)}: ${str(p.payload.error_message)}` : '') +
          ` (profile ${str(p.payload.profile)}, endpoint ${str(p.payload.endpoint)})`,
      );
    });
    if (probe.payload.outcome === 'inconclusive') {
      lines.push(
        '',
        '**SSO was not confirmed down**: the check was inconclusive. The postmortem must say why break-glass was needed anyway.',
      );
    }
    lines.push('');
  }
  if (role) {
    lines.push(
      `Breakglass role session: ${str(role.payload.role_arn)}, approver ${str(role.payload.approver)}, cleanup owner ${str(role.payload.cleanup_owner)}, ` +
        `started ${str(role.payload.session_started_at)}, expires ${str(role.payload.expiration)}.`,
      '',
    );
  }

  lines.push('## Who was told, before invoking', '');
  const notified = e.filter((x) => x.kind === 'founder_notified');
  if (notified.length === 0) lines.push('Nobody was recorded as notified.');
  for (const n of notified) {
    lines.push(
      `- ${str(n.payload.name)} by ${str(n.payload.channel)} at ${str(n.payload.notified_at)}` +
        `${n.payload.acknowledged ? `, acknowledged ${str(n.payload.acknowledged_at)}` : ', not acknowledged'}; witness code "${str(n.payload.witness_code)}"`,
    );
  }
  lines.push('');

  lines.push('## What was done', '');
  const failedSignIn = row.result === 'failure' ? (row.metadata as JsonObject | undefined)?.failure : undefined;
  if (row.result === 'failure')
    lines.push(
      `**The root sign-in failed**: ${str(failedSignIn)}. The audit row records the attempt (result "failure"); nothing could be done in the console.`,
      '',
    );
  if (actions.length === 0) lines.push('No action was logged.');
  for (const a of actions) {
    const ops = parsedActions(a)
      .map((p) => p.iam_action)
      .filter(Boolean);
    lines.push(
      `- ${str(a.payload.logged_at) || str(a.recorded_at)}: ${str(a.payload.text)}${ops.length ? ` (${str(ops.join(', '))})` : ''}`,
    );
  }
  const done = latest(e, 'minimal_action_done');
  if (done) lines.push('', `Summary: ${str(done.payload.summary)}`);
  lines.push('');

  lines.push('## What was changed', '');
  if (changed.length === 0 && consoleChanges.length === 0) lines.push('Nothing that changes AWS state was logged.');
  for (const a of changed)
    lines.push(
      `- ${str(
        parsedActions(a)
          .filter((p) => p.read_only === false)
          .map((p) => p.iam_action)
          .join(', '),
      )}: ${str(a.payload.text)}`,
    );
  for (const a of consoleChanges) lines.push(`- in the console: ${str(a.payload.text)}`);
  if (warnings.length)
    lines.push('', '**Anti-patterns called out during the session:**', ...warnings.map((w) => `- ${str(w)}`));
  lines.push('');

  lines.push('## Expected return to normal', '');
  const back = expectedReturn(e);
  lines.push(
    back
      ? `Expected: ${str(back)}`
      : `Not recorded: it is asked for at sign-out. Fill in when ${role ? 'the standard access path' : 'the standard SSO path'} is expected back.`,
    '',
  );

  if (type === 'root-login') {
    lines.push('## Audit row', '');
    lines.push(
      audit
        ? mdFence(JSON.stringify(row, null, 2), 'json')
        : aborted
          ? 'Not written: the ceremony was aborted before it.'
          : '**Missing**: the agent_audit_log row was not written.',
      '',
    );
  }

  lines.push('## Integrity', '');
  lines.push(
    `- Journal entries: ${e.length} (seq 0..${bundle.head.seq}); head \`${bundle.head.hash}\``,
    `- Key-signed checkpoints: ${bundle.checkpoints.length} (${str(bundle.checkpoints.map((c) => c.step).join(', ')) || 'none'})`,
    ...(report
      ? [
          `- Verdict at export (against this laptop's enrolled keys): **${report.verdict}**${report.unsigned ? `; seq ${report.unsigned.from}..${report.unsigned.to} unsigned` : ''}`,
        ]
      : []),
    ...(report?.findings ?? [])
      .filter((f) => f.verdict !== 'ORIGIN NOT VERIFIED')
      .slice(0, 10)
      .map((f) => `  - ${f.verdict}: ${str(f.reason)}`),
    `- Verify offline: breakglass verify ${str(bundle.ceremony_id)}.bundle.json --trusted-keys FILE --witness "CODE"`,
    '',
  );
  return lines.join('\n');
}

interface ParsedAction {
  iam_action?: string;
  read_only?: boolean;
}

function parsedActions(entry: JournalEntry): ParsedAction[] {
  const parsed = entry.payload.parsed;
  return Array.isArray(parsed) ? (parsed.filter((p) => p && typeof p === 'object') as unknown as ParsedAction[]) : [];
}

const RETURN_KINDS = new Set(['signed_out', 'minimal_action_done', 'aftercare_evidence', 'note']);

function expectedReturn(entries: readonly JournalEntry[]): string {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (!RETURN_KINDS.has(entries[i]!.kind)) continue;
    const v = entries[i]!.payload.expected_return_to_normal;
    if (typeof v === 'string' && v) return v;
  }
  return '';
}

function latest(entries: readonly JournalEntry[], kind: string): JournalEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.kind === kind) return entries[i];
  return undefined;
}

/** Any value from the bundle, as inert one-line Markdown (src-shared/text/markdown.ts). */
function str(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  return mdInline(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

function text(obj: JsonValue | undefined, key: string): string {
  return obj && typeof obj === 'object' && !Array.isArray(obj) ? str(obj[key]) : '';
}
