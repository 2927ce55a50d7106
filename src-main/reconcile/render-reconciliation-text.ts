import type { EventRef, Reconciliation } from './reconciliation-types';

const hhmm = (iso: string) => iso.replace('T', ' ').replace(/\.\d{3}Z$|Z$/, 'Z');
const line = (e: EventRef) => `${hhmm(e.eventTime)}  ${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName}${e.resources.length ? `  ${e.resources.join(', ')}` : ''}${e.errorCode ? `  (failed: ${e.errorCode})` : ''}  [${e.eventId}]`;

/** The human-readable report `breakglass reconcile` prints without --json. */
export function renderReconciliationText(r: Reconciliation): string[] {
  const out: string[] = [];
  const section = (title: string, rows: string[], empty = 'none') => {
    out.push('', `${title} (${rows.length})`);
    out.push(...(rows.length ? rows.map((x) => `  ${x}`) : [`  ${empty}`]));
  };
  out.push(`Reconciliation of ${r.ceremony_id} (${r.ceremony_type}${r.drill ? ', DRILL' : ''}), account ${r.account_id}`);
  out.push(`Principal: ${r.principal}`);
  out.push(`Window:    ${hhmm(r.window.start)} to ${hhmm(r.window.end)} (${r.window.basis})`);
  out.push(`CloudTrail: ${r.inputs.cloudtrail.map((c) => `${c.file} (${c.events} events)`).join(', ')}; ignored ${r.ignored.otherPrincipals} of other principals, ${r.ignored.outsideWindow} outside the window, ${r.ignored.duplicates} duplicates`);

  section('Sign-in events', r.session.map(line));
  section('Matched: declared in the journal and seen in CloudTrail', r.matched.map((m) => `${line(m)}  <- journal seq ${m.declaredSeq}: ${m.declaredText}`));
  section('UNEXPECTED: mutating calls not declared in the journal', r.unexpected.map(line));
  section('Read-only calls (reconnaissance: mention in the postmortem)', r.readOnly.map((e) => `${line(e)}${e.declared ? '' : '  (not declared)'}`));
  section('Declared but missing from CloudTrail', r.declaredButMissing.map((d) => `journal seq ${d.seq} ${d.iam_action}: ${d.text}`));
  section('IAM users created', r.iamUsersCreated.map((u) => `${u.userName}  [${u.eventId}]`));
  section('Access keys created', r.accessKeysCreated.map((k) => `${k.accessKeyId} for ${k.userName}${k.rootKey ? ' (ROOT ACCESS KEY)' : ''}  [${k.eventId}]`));
  section('Policies attached to roles', r.rolesWithAttachedPolicies.map((p) => `${p.roleName} <- ${p.policyArn}  [${p.eventId}]`));
  if (r.inputs.terraformPlan) {
    section('Terraform: resources the plan would destroy (created outside Terraform)', r.terraformOrphans.map((o) => `${o.address}${o.id ? ` (${o.id})` : ''}: ${o.actions.join('+')}`));
    if (r.terraformDrift.length) section('Terraform: changed outside Terraform', r.terraformDrift.map((d) => `${d.address}: ${d.actions.join('+')}`));
  } else out.push('', 'Terraform: no plan given (--terraform-plan); drift not checked');
  if (r.inputs.argocd) section('Argo CD: applications not Synced', r.argocdOutOfSync.map((a) => `${a.name}: ${a.syncStatus}${a.healthStatus ? `, ${a.healthStatus}` : ''}`));
  else out.push('', 'Argo CD: no app list given (--argocd); drift not checked');

  out.push('');
  if (r.needsAttention.length === 0) out.push('Nothing needs attention.');
  else {
    out.push('Needs attention:');
    for (const a of r.needsAttention) out.push(`  - ${a}`);
  }
  return out;
}
