import type { Reconciliation } from './reconciliation-types';

/** Plain-words reasons the reconciliation needs a human. Empty is the only "Nothing needs attention". */
export function attentionOf(r: Reconciliation): string[] {
  const a: string[] = [];
  const n = (count: number, what: string) => {
    if (count > 0) a.push(`${count} ${what}`);
  };
  n(r.unexpected.length, 'mutating call(s) not declared in the journal');
  n(r.declaredButRefused.length, 'declared call(s) refused by AWS: the declared action did not happen');
  n(
    r.readOnly.filter((x) => !x.declared).length,
    'undeclared read-only call(s): reconnaissance the postmortem must mention',
  );
  n(r.declaredButMissing.length, 'declared action(s) with no CloudTrail event');
  const byList = (l: string) => r.cleanup.filter((c) => c.list === l).length;
  n(byList('credentials'), 'credential(s) created or changed: delete or document them (cleanup Step 3d)');
  n(byList('policies'), 'IAM policy change(s): revert them or commit them to Terraform (cleanup Step 5)');
  n(byList('secrets'), 'secret(s) read in the session: rotate them (cleanup Step 4)');
  n(
    r.terraformOrphans.length,
    r.inputs.terraformPlan
      ? 'resource(s) created outside Terraform: import or delete (cleanup Step 3b)'
      : 'resource(s) created in the session, not checked against Terraform (no plan given): import or delete (cleanup Step 3b)',
  );
  if (r.terraformErrored)
    a.push(
      'the Terraform plan errored (errored: true): it shows only part of the changes; fix the error and plan again',
    );
  n(
    r.terraformInState.length,
    'managed resource(s) the Terraform plan would destroy or replace: in state, not orphans; review the plan before applying',
  );
  n(r.terraformDrift.length, 'resource(s) changed outside Terraform');
  n(r.argocdOutOfSync.length, 'Argo CD application(s) not Synced (cleanup Step 3c)');
  for (const c of r.checks) a.push(`${c.code}: ${c.message}`);
  if (r.integrity) for (const p of r.integrity.problems) a.push(`CloudTrail integrity: ${p}`);
  for (const w of r.warnings) a.push(w);
  return a;
}
