import { EXIT_ATTENTION, EXIT_OK, requireString, UserError, type CliCommand } from '../command';
import { readReconcileInputs } from '../../reconcile/read-inputs';
import { reconcile } from '../../reconcile/reconcile';
import { renderReconciliationText } from '../../reconcile/render-reconciliation-text';
import { attachReconciliation } from '../../reconcile/attach-reconciliation';
import { openJournal } from '../../journal/journal';
import { defaultDataDir } from '../../data-dir';
import { openExistingJournal } from '../open-existing-journal';
import { EVIDENCE_OPTIONS, readVerifiedBundle } from '../read-verified-bundle';

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export const reconcileCommand: CliCommand = {
  name: 'reconcile',
  summary: 'Match CloudTrail (and Terraform / Argo CD drift) against a ceremony journal, offline',
  usage:
    'breakglass reconcile --bundle FILE --cloudtrail FILE [--cloudtrail FILE ...] [--terraform-plan FILE] [--argocd FILE] [--trusted-keys FILE] [--witness CODE ...] [--json] [--attach [--data-dir DIR]]',
  options: {
    ...EVIDENCE_OPTIONS,
    bundle: { type: 'string' },
    cloudtrail: { type: 'string', multiple: true },
    'terraform-plan': { type: 'string' },
    argocd: { type: 'string' },
    json: { type: 'boolean' },
    attach: { type: 'boolean' },
  },
  run({ values }, io) {
    const bundle = requireString(values, 'bundle', reconcileCommand);
    const cloudtrail = Array.isArray(values.cloudtrail) ? values.cloudtrail.filter((f): f is string => typeof f === 'string' && f.length > 0) : [];
    if (cloudtrail.length === 0) throw new UserError(`--cloudtrail is required (the output of \`aws cloudtrail lookup-events --output json\`)\nusage: ${reconcileCommand.usage}`);
    const files: Parameters<typeof readReconcileInputs>[0] = { bundle: readVerifiedBundle(bundle, values, io), cloudtrail };
    const plan = optionalString(values['terraform-plan']);
    const argocd = optionalString(values.argocd);
    if (plan) files.terraformPlan = plan;
    if (argocd) files.argocd = argocd;

    const inputs = readReconcileInputs(files);
    const result = reconcile(inputs);
    if (values.json === true) io.out(JSON.stringify(result, null, 2));
    else for (const l of renderReconciliationText(result)) io.out(l);
    if (values.attach === true) {
      const journal = openExistingJournal(optionalString(values['data-dir']) ?? defaultDataDir(), openJournal);
      try {
        const entry = attachReconciliation(journal, result);
        (values.json === true ? io.err : io.out)(`attached to ${result.ceremony_id} as seq ${entry.seq}`);
      } finally {
        journal.close();
      }
    }
    return result.needsAttention.length > 0 ? EXIT_ATTENTION : EXIT_OK;
  },
};
