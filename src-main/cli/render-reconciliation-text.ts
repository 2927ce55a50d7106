import type { EventRef, Reconciliation } from '../reconcile/reconciliation-types';
import { printable } from '../reconcile/terminal-text';

const hhmm = (iso: string) => iso.replace('T', ' ').replace(/\.\d{3}Z$|Z$/, 'Z');
const line = (e: EventRef) =>
  `${hhmm(e.eventTime)}  ${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName}${e.resources.length ? `  ${e.resources.join(', ')}` : ''}${e.awsRegion ? `  (${e.awsRegion})` : ''}${e.errorCode ? `  (failed: ${e.errorCode})` : ''}  [${e.eventId}]${e.validated ? '  (validated log file)' : ''}`;

/** The human-readable report `breakglass reconcile` prints without --json; every line terminal-safe. */
export function renderReconciliationText(r: Reconciliation): string[] {
  const out: string[] = [];
  const section = (title: string, rows: string[], empty = 'none') => {
    out.push('', `${title} (${rows.length})`);
    out.push(...(rows.length ? rows.map((x) => `  ${x}`) : [`  ${empty}`]));
  };
  out.push(
    `Reconciliation of ${r.ceremony_id} (${r.ceremony_type}${r.drill ? ', DRILL' : ''}), account ${r.account_id}`,
  );
  out.push(`Principal: ${r.principal}`);
  out.push(`Window:    ${hhmm(r.window.start)} to ${hhmm(r.window.end)} (${r.window.basis})`);
  out.push(
    `CloudTrail: ${r.inputs.cloudtrail.map((c) => `${c.file} (${c.format}${c.gzip ? ', gzip' : ''}, ${c.events} events)`).join(', ')}; ignored ${r.ignored.otherPrincipals} of other principals, ${r.ignored.outsideWindow} outside the window, ${r.ignored.duplicates} duplicates`,
  );
  if (r.integrity) {
    out.push(
      `Integrity: ${r.integrity.digests.filter((d) => d.signatureValid).length}/${r.integrity.digests.length} digest(s) verified; ${r.integrity.eventsFromValidatedFiles} of ${r.integrity.eventsInWindow} session event(s) come from validated log files (${r.integrity.validatedFiles.join(', ') || 'none'})`,
    );
  } else out.push('Integrity: not checked (no --cloudtrail-digest); the events are as the files say');

  section('Sign-in events', r.session.map(line));
  section(
    'Matched: declared in the journal and seen in CloudTrail',
    r.matched.map((m) => `${line(m)}  <- journal seq ${m.declaredSeq}: ${m.declaredText}`),
  );
  section(
    'DECLARED BUT REFUSED BY AWS: the declared action did not happen',
    r.declaredButRefused.map((m) => `${line(m)}  <- journal seq ${m.declaredSeq}: ${m.declaredText}`),
  );
  section('UNEXPECTED: mutating calls not declared in the journal', r.unexpected.map(line));
  section(
    'Read-only calls (reconnaissance: mention in the postmortem)',
    r.readOnly.map((e) => `${line(e)}${e.declared ? '' : '  (not declared)'}`),
  );
  section(
    'Declared but missing from CloudTrail',
    r.declaredButMissing.map(
      (d) =>
        `journal seq ${d.seq} ${d.iam_action}${d.resources.length ? ` on ${d.resources.join(', ')}` : ''}${d.region ? ` in ${d.region}` : ''}: ${d.text}`,
    ),
  );
  if (r.declaredNotVerifiable.length)
    section(
      'Declared data events these files cannot show',
      r.declaredNotVerifiable.map((d) => `journal seq ${d.seq} ${d.iam_action}: ${d.text}`),
    );
  for (const [list, title] of [
    ['credentials', 'Credentials created or changed (cleanup Step 3d)'],
    ['policies', 'IAM policies changed (cleanup Step 5)'],
    ['secrets', 'Secrets read: rotate (cleanup Step 4)'],
  ] as const) {
    section(
      title,
      r.cleanup
        .filter((c) => c.list === list)
        .map(
          (c) =>
            `${c.what}${c.declaredSeq !== undefined ? ` (declared, seq ${c.declaredSeq})` : ''}  [${c.eventIds.join(', ')}]\n      $ ${c.command}`,
        ),
    );
  }
  section(
    r.inputs.terraformPlan
      ? 'Created outside Terraform: no state or plan address covers them (cleanup Step 3b)'
      : 'Created in the session (no --terraform-plan: not checked against Terraform; cleanup Step 3b)',
    r.terraformOrphans.map(
      (o) =>
        `${o.eventSource.replace('.amazonaws.com', '')}:${o.eventName} ${o.ids.join(', ')}  [${o.eventId}]\n      $ ${o.command}`,
    ),
  );
  if (r.inputs.terraformPlan) {
    if (r.terraformErrored) out.push('', 'Terraform: THE PLAN ERRORED (errored: true); it is incomplete');
    section(
      'Terraform: managed resources the plan would destroy or replace (in state: not orphans)',
      r.terraformInState.map(
        (o) => `${o.address}${o.id ? ` (${o.id})` : ''}: ${o.actions.join('+')}${o.reason ? ` (${o.reason})` : ''}`,
      ),
    );
    if (r.terraformDrift.length)
      section(
        'Terraform: changed outside Terraform',
        r.terraformDrift.map((d) => `${d.address}: ${d.actions.join('+')}`),
      );
  } else out.push('', 'Terraform: no plan given (--terraform-plan); drift not checked');
  if (r.inputs.argocd)
    section(
      'Argo CD: applications not Synced',
      r.argocdOutOfSync.map((a) => `${a.name}: ${a.syncStatus}${a.healthStatus ? `, ${a.healthStatus}` : ''}`),
    );
  else out.push('', 'Argo CD: no app list given (--argocd); drift not checked');
  if (r.checks.length)
    section(
      'Checks failed',
      r.checks.map((c) => `${c.code}: ${c.message}`),
    );
  if (r.notes.length) section('Notes', r.notes);

  out.push('');
  if (r.needsAttention.length === 0) out.push('Nothing needs attention.');
  else {
    out.push('Needs attention:');
    for (const a of r.needsAttention) out.push(`  - ${a}`);
  }
  // Every field above can come from an input file: keep escape sequences off the terminal.
  return out.flatMap((l) => l.split('\n')).map(printable);
}
