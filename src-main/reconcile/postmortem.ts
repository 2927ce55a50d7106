import { ceremonyChecklistStatus, cleanupOwnerOf } from '../../src-shared/aftercare/ceremony-checklist';
import type { JsonObject } from '../../src-shared/canonical-json';
import type { Bundle, JournalEntry } from '../../src-shared/journal/types';
import { sessionSlug } from '../bundle/session-log';
import { reconciliationSha256 } from './attachment';
import { cell, inline, table } from './markdown';
import type { AppMarkup } from '../../src-shared/text/markdown';
import type { EventRef, Reconciliation } from './reconciliation-types';
import { buildTimeline } from './timeline';

export interface PostmortemOptions {
  /** When the document is generated: decides which cleanup steps are overdue. */
  now: Date;
}

const latest = (e: readonly JournalEntry[], kind: string) => [...e].reverse().find((x) => x.kind === kind);
const s = (p: JsonObject | undefined, k: string) => (p && typeof p[k] === 'string' ? (p[k] as string) : '');
const o = (p: JsonObject | undefined, k: string): JsonObject | undefined => {
  const v = p?.[k];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
};
const t = (iso: string) => (iso ? iso.replace('T', ' ').replace(/(\.\d{3})?Z$/, 'Z') : '-');
const call = (x: EventRef) => `${x.eventSource.replace('.amazonaws.com', '')}:${x.eventName}`;

/** `<date>-break-glass-<slug>-postmortem.md`, next to the session-log document of the same ceremony. */
export function postmortemFileName(bundle: Bundle): string {
  const first = bundle.entries[0];
  return `${(first?.recorded_at ?? bundle.exported_at).slice(0, 10)}-break-glass-${sessionSlug(bundle)}-postmortem.md`;
}

/**
 * The postmortem draft with the mandatory breakglass sections of the cleanup runbook (Step 6):
 * why break-glass was needed, the blast radius from CloudTrail, whether the session did only what
 * it needed, and the cleanup-owner sign-off. Everything comes from the journal and the
 * reconciliation; where evidence is missing the document says so instead of leaving a blank.
 */
export function renderPostmortem(
  bundle: Bundle,
  reconciliation: Reconciliation | null,
  options: PostmortemOptions,
): string {
  const e = bundle.entries;
  const started = e.find((x) => x.kind === 'ceremony_started');
  const type = s(started?.payload, 'type') === 'breakglass-role' ? 'breakglass-role' : 'root-login';
  const r = reconciliation;
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);

  push(`# Postmortem: break-glass ${inline(bundle.ceremony_id)}`, '');
  if (bundle.drill) push('> **DRILL**: an exercise, not a real incident.', '');
  push(
    `Generated ${t(options.now.toISOString())} from the journal (${e.length} entries, head \`${bundle.head.hash}\`)${r ? ` and reconciliation \`${reconciliationSha256(r)}\`` : ''}. Edit the prose freely; the journal stays the evidence.`,
    '',
  );
  push(...summaryTable(e, type), '');
  push(...whySection(e, type), '');
  push(...blastRadiusSection(r), '');
  push(...onlyWhatNeededSection(e, r), '');
  push('## Timeline', '');
  push(
    ...table(
      ['Time', 'Source', 'What', 'Reference', ''],
      buildTimeline(bundle, r).map((i) => [
        t(i.at),
        i.source === 'journal' ? 'journal' : 'CloudTrail',
        i.label,
        i.eventId ?? `seq ${i.seq}`,
        {
          md:
            i.mark === 'unexpected'
              ? '**UNEXPECTED**'
              : i.mark === 'read-only'
                ? 'read-only'
                : i.mark === 'missing'
                  ? '**not in CloudTrail**'
                  : '',
        },
      ]),
    ),
    '',
  );
  push(...cleanupSection(e, options.now), '');
  push(...signoffSection(e, type, options.now), '');
  push(...actionItems(e, r), '');
  push('## Integrity', '');
  push(
    `- Ceremony \`${inline(bundle.ceremony_id)}\`, ${e.length} journal entries, head seq ${bundle.head.seq} \`${bundle.head.hash}\`, bundle exported ${t(bundle.exported_at)}.`,
  );
  if (r) {
    push(
      `- Reconciliation \`${reconciliationSha256(r)}\`, window ${t(r.window.start)} to ${t(r.window.end)} (${r.window.basis}).`,
    );
    for (const c of r.inputs.cloudtrail)
      push(
        `- CloudTrail \`${inline(c.file)}\` sha256 \`${c.sha256}\` (${c.events} events${c.truncated ? ', INCOMPLETE: NextToken present' : ''}).`,
      );
    if (r.inputs.terraformPlan)
      push(`- Terraform plan \`${inline(r.inputs.terraformPlan.file)}\` sha256 \`${r.inputs.terraformPlan.sha256}\`.`);
    if (r.inputs.argocd)
      push(`- Argo CD app list \`${inline(r.inputs.argocd.file)}\` sha256 \`${r.inputs.argocd.sha256}\`.`);
  }
  return `${lines.join('\n')}\n`;
}

function summaryTable(e: readonly JournalEntry[], type: string): string[] {
  const started = e.find((x) => x.kind === 'ceremony_started');
  const operator = o(started?.payload, 'operator');
  const account = o(latest(e, 'account_selected')?.payload, 'account');
  const signedIn = latest(e, 'signed_in');
  const signedOut = latest(e, 'signed_out');
  const role = latest(e, 'role_session_started');
  const rows: string[][] = [
    [
      'Ceremony',
      type === 'breakglass-role'
        ? 'breakglass-emergency IAM role (cleanup runbook)'
        : 'AWS root login (root-login runbook)',
    ],
    ['Operator', `${s(operator, 'name')} (${s(operator, 'id')})`],
  ];
  if (account) rows.push(['Account', `${s(account, 'name')} ${s(account, 'account_id')}`]);
  if (role) {
    rows.push(
      ['Role', s(role.payload, 'role_arn')],
      ['Approver', s(role.payload, 'approver')],
      ['Cleanup owner', s(role.payload, 'cleanup_owner')],
    );
    rows.push([
      'Role session',
      `${t(s(role.payload, 'session_started_at'))} to expiry ${t(s(role.payload, 'expiration'))} (credentials from ${s(role.payload, 'source')})`,
    ]);
  }
  if (signedIn)
    rows.push(['Signed in', `${t(s(signedIn.payload, 'signed_in_at'))} from ${s(signedIn.payload, 'ip_address')}`]);
  rows.push([
    'Signed out',
    signedOut
      ? `${t(s(signedOut.payload, 'signed_out_at'))} (${String(signedOut.payload.duration_minutes ?? '?')} min)`
      : 'not recorded',
  ]);
  const linked = s(started?.payload, 'linked_ceremony_id');
  if (linked) rows.push(['Renewal of', `${linked}: a renewal is a separate incident with its own justification`]);
  const aborted = latest(e, 'ceremony_aborted');
  if (aborted) rows.push(['Aborted', s(aborted.payload, 'reason')]);
  return table(['', ''], rows);
}

function whySection(e: readonly JournalEntry[], type: string): string[] {
  const out = ['## Why was break-glass needed?', ''];
  const scenario = latest(e, 'scenario_selected');
  if (scenario) {
    out.push(`- Scenario \`${inline(s(scenario.payload, 'scenario_id'))}\`: ${inline(s(scenario.payload, 'reason'))}`);
    const ev = o(scenario.payload, 'evidence') ?? {};
    for (const [k, v] of Object.entries(ev))
      out.push(`  - ${inline(k)}: ${inline(typeof v === 'string' ? v : JSON.stringify(v))}`);
  } else out.push('- **No scenario recorded in the journal.**');
  const probe = latest(e, 'sso_probe');
  if (probe)
    out.push(
      `- SSO probe (${inline(s(probe.payload, 'profile'))}, ${t(s(probe.payload, 'attempted_at'))}): ${inline(s(probe.payload, 'outcome'))}${s(probe.payload, 'error_name') ? ` (${inline(s(probe.payload, 'error_name'))})` : ''}`,
    );
  else if (type === 'root-login')
    out.push('- **No SSO probe recorded**: the runbook requires confirming the standard path is unavailable first.');
  const reason = s(o(o(latest(e, 'audit_row_written')?.payload, 'row'), 'metadata'), 'reason');
  if (reason) out.push(`- Reason in the agent_audit_log row: ${inline(reason)}`);
  out.push(
    '',
    '> "The standard role couldn\'t do X" is a process gap: if X is repeatable, the action item is to add X to the standard role\'s policy (cleanup runbook Step 7).',
  );
  return out;
}

function blastRadiusSection(r: Reconciliation | null): string[] {
  const out = ['## What was the blast radius? (from CloudTrail)', ''];
  if (!r) {
    out.push(
      '**No CloudTrail reconciliation is attached: the blast radius is not established.**',
      '',
      'Run `breakglass reconcile --bundle <bundle> --cloudtrail <lookup-events.json> [--terraform-plan ...] [--argocd ...]` and regenerate this document.',
    );
    return out;
  }
  out.push(
    `Principal \`${r.principal}\`, window ${t(r.window.start)} to ${t(r.window.end)}. Events of other principals (${r.ignored.otherPrincipals}) and outside the window (${r.ignored.outsideWindow}) are not counted.`,
    '',
  );
  const mutating = [
    ...r.matched
      .filter((m) => !m.readOnly)
      .map((m) => ({ x: m as EventRef, how: `journal seq ${m.declaredSeq}` as string | AppMarkup })),
    ...r.unexpected.map((x) => ({ x, how: { md: '**UNEXPECTED**' } })),
  ].sort((a, b) => a.x.eventTime.localeCompare(b.x.eventTime));
  out.push(`### Changes (${mutating.length} mutating calls)`, '');
  out.push(
    ...(mutating.length
      ? table(
          ['Time', 'Call', 'Resources', 'Declared', 'eventId'],
          mutating.map(({ x, how }) => [
            t(x.eventTime),
            `${call(x)}${x.errorCode ? ` (failed: ${x.errorCode})` : ''}`,
            x.resources.join(', '),
            how,
            x.eventId,
          ]),
        )
      : ['None: the session changed nothing CloudTrail records.']),
    '',
  );
  const list = (title: string, rows: string[]) =>
    out.push(`### ${title}`, '', ...(rows.length ? rows.map((x) => `- ${x}`) : ['- none']), '');
  if (r.format_version === 2) {
    for (const [l, title] of [
      ['credentials', 'Credentials created or changed (Step 3d)'],
      ['policies', 'IAM policies changed (Step 5)'],
      ['secrets', 'Secrets read: rotate (Step 4)'],
    ] as const) {
      list(
        title,
        r.cleanup
          .filter((c) => c.list === l)
          .map(
            (c) =>
              `${inline(c.what)} (${c.eventIds.join(', ')})${c.declaredSeq !== undefined ? ', declared' : ''}: \`${inline(c.command)}\``,
          ),
      );
    }
    list(
      r.inputs.terraformPlan
        ? 'Created outside Terraform (Step 3b)'
        : 'Created in the session, not checked against Terraform (Step 3b)',
      [
        ...r.terraformOrphans.map(
          (x) => `${inline(x.eventName)} \`${inline(x.ids.join(', ') || '?')}\` (${x.eventId})`,
        ),
        ...r.terraformInState.map(
          (x) =>
            `\`${inline(x.address)}\`: in state; the plan would ${x.actions.join('+')}${x.reason ? ` (${inline(x.reason)})` : ''}`,
        ),
        ...r.terraformDrift.map((d) => `\`${inline(d.address)}\`: changed outside Terraform (${d.actions.join('+')})`),
        ...(r.terraformErrored ? ['**the Terraform plan errored: incomplete**'] : []),
      ],
    );
  } else {
    // A report attached by an earlier version (format_version 1) has only these lists.
    list(
      'IAM users created',
      r.iamUsersCreated.map((u) => `\`${inline(u.userName)}\` (${u.eventId})`),
    );
    list(
      'Access keys created',
      r.accessKeysCreated.map(
        (k) =>
          `\`${inline(k.accessKeyId)}\` for ${inline(k.userName)}${k.rootKey ? ' **(root access key)**' : ''} (${k.eventId})`,
      ),
    );
    list(
      'Policies attached to roles',
      r.rolesWithAttachedPolicies.map((p) => `\`${inline(p.roleName)}\` <- \`${inline(p.policyArn)}\` (${p.eventId})`),
    );
  }
  list(
    'Argo CD: applications not Synced',
    r.inputs.argocd
      ? r.argocdOutOfSync.map((a) => `${inline(a.name)}: ${a.syncStatus}`)
      : ['**not checked**: no app list was given to the reconciliation'],
  );
  return out;
}

function onlyWhatNeededSection(e: readonly JournalEntry[], r: Reconciliation | null): string[] {
  const out = ['## Did the session do only what it needed?', ''];
  const minimal = latest(e, 'minimal_action_done');
  out.push(
    minimal
      ? `- Minimal action, as confirmed by the operator: ${inline(s(minimal.payload, 'summary'))}`
      : '- **The minimal action was not confirmed in the journal.**',
  );
  if (r) {
    out.push(
      r.unexpected.length === 0
        ? '- Every mutating call CloudTrail shows is in the journal.'
        : `- **${r.unexpected.length} mutating call(s) are not in the journal**: ${r.unexpected.map((x) => `${call(x)} at ${t(x.eventTime)}`).join('; ')}.`,
    );
    out.push(
      r.readOnly.length === 0
        ? '- No read-only (reconnaissance) calls.'
        : `- Read-only calls, reconnaissance to account for ("Do not browse"): ${r.readOnly.map((x) => `${call(x)} at ${t(x.eventTime)}${x.declared ? '' : ' (not declared)'}`).join('; ')}.`,
    );
    if ((r.declaredButRefused ?? []).length)
      out.push(
        `- **Declared but refused by AWS** (the declared action did not happen): ${r.declaredButRefused.map((x) => `${call(x)} at ${t(x.eventTime)} (${inline(x.errorCode ?? '')}, seq ${x.declaredSeq})`).join('; ')}.`,
      );
    for (const c of r.checks ?? []) out.push(`- **${inline(c.code)}**: ${inline(c.message)}`);
    if (r.declaredButMissing.length)
      out.push(
        `- Declared in the journal but not in CloudTrail (wrong account/region, failed before the API, or not run): ${r.declaredButMissing.map((d) => `${d.iam_action} (seq ${d.seq})`).join('; ')}.`,
      );
  } else out.push('- Not checked against CloudTrail: no reconciliation attached.');
  const warnings = e
    .filter((x) => x.kind === 'action_logged')
    .flatMap((x) =>
      Array.isArray(x.payload.warnings) ? x.payload.warnings.filter((w): w is string => typeof w === 'string') : [],
    );
  if (warnings.length)
    out.push('- Warnings raised while logging:', ...[...new Set(warnings)].map((w) => `  - ${inline(w)}`));
  return out;
}

function cleanupSection(e: readonly JournalEntry[], now: Date): string[] {
  const out = ['## Cleanup', ''];
  const status = ceremonyChecklistStatus(e, now);
  if (!status) return [...out, 'The 24-hour clock has not started (no sign-out / role session in the journal).'];
  out.push(
    `${status.summary.done} of ${status.summary.total} steps evidenced; ${status.summary.overdue} overdue, ${status.summary.due} due, ${status.summary.not_yet} not yet open.`,
    '',
  );
  out.push(
    ...table(
      ['Step', 'Runbook', 'Due', 'State', 'Evidence'],
      status.items.map((i) => [
        i.title,
        i.runbook,
        t(i.due_at),
        `${i.state}${i.late ? ' (late)' : ''}`,
        i.evidence
          .map((x) => `${x.text}${x.file_sha256 ? ` [sha256 ${x.file_sha256.slice(0, 12)}]` : ''}`)
          .join('; ') || (i.rejected.length ? `not accepted: ${i.rejected.map((x) => x.reason).join('; ')}` : ''),
      ]),
    ),
  );
  return out;
}

function signoffSection(e: readonly JournalEntry[], type: string, now: Date): string[] {
  const out = ['## Cleanup-owner sign-off', ''];
  const owner = cleanupOwnerOf(e);
  if (type === 'breakglass-role') {
    const item = ceremonyChecklistStatus(e, now)?.items.find((i) => i.id === 'cleanup.owner-signoff');
    out.push(
      `Cleanup owner: ${owner ? inline(owner) : '**not named**'}. The cleanup owner certifies that Steps 2-5 are complete.`,
      '',
    );
    const signed = item?.evidence[0];
    if (item?.state === 'done' && signed)
      out.push(`Signed off by ${inline(signed.by ?? '')} at ${t(signed.at)}: ${inline(signed.text)}`);
    else {
      out.push('**Not signed off.** Without it the postmortem is incomplete and its action items do not track.');
      if (item?.waiting_for.length) out.push('', `Still without evidence: ${item.waiting_for.join(', ')}.`);
      if (signed)
        out.push(
          '',
          `A sign-off by ${inline(signed.by ?? '')} is recorded but cannot count until those steps are evidenced.`,
        );
    }
    return out;
  }
  const signoffs = e.filter((x) => x.kind === 'aftercare_signoff');
  if (signoffs.length === 0) out.push('**Not signed off.**');
  for (const x of signoffs)
    out.push(
      `- ${inline(s(x.payload, 'by'))} at ${t(x.recorded_at)}${s(x.payload, 'item_id') ? ` (${inline(s(x.payload, 'item_id'))})` : ''}: ${inline(s(x.payload, 'text'))}`,
    );
  return out;
}

function actionItems(e: readonly JournalEntry[], r: Reconciliation | null): string[] {
  const out = ['## Action items', ''];
  const filed = e.filter(
    (x) => x.kind === 'aftercare_evidence' && s(x.payload, 'item_id') === 'cleanup.alerting-action-item',
  );
  for (const x of filed) out.push(`- [x] ${inline(s(x.payload, 'text'))}`);
  if (filed.length === 0)
    out.push(
      '- [ ] Standard-role fix: open the Terraform PR that makes the next break-glass unnecessary (cleanup runbook Step 7), or say why the gap is not repeatable.',
    );
  if (r) {
    if (r.format_version === 2) {
      for (const c of r.cleanup) out.push(`- [ ] ${inline(c.what)} (${inline(c.step)}): \`${inline(c.command)}\``);
      for (const x of r.terraformOrphans)
        out.push(
          `- [ ] Import ${inline(x.eventName)} \`${inline(x.ids.join(', ') || '?')}\` into Terraform or delete it (Step 3b): \`${inline(x.command)}\``,
        );
    } else {
      for (const u of r.iamUsersCreated)
        out.push(`- [ ] Delete or document IAM user \`${inline(u.userName)}\` (Step 3d).`);
      for (const k of r.accessKeysCreated)
        out.push(`- [ ] Delete access key \`${inline(k.accessKeyId)}\` of ${inline(k.userName)}.`);
      for (const p of r.rolesWithAttachedPolicies)
        out.push(
          `- [ ] Detach \`${inline(p.policyArn)}\` from \`${inline(p.roleName)}\` or commit it to Terraform (Step 5).`,
        );
    }
    for (const a of r.argocdOutOfSync)
      out.push(`- [ ] ${cell(a.name)}: commit the change to git or \`argocd app sync\` (Step 3c).`);
  }
  return out;
}
