import { EXIT_ATTENTION, EXIT_OK, requireString, UserError, type CliCommand } from '../command';
import { readReconcileInputs } from '../../reconcile/read-inputs';
import { reconcile } from '../../reconcile/reconcile';
import { renderReconciliationText } from '../../reconcile/render-reconciliation-text';
import { attachReconciliation } from '../../reconcile/attach-reconciliation';
import { openJournal } from '../../journal/journal';
import { defaultDataDir } from '../../data-dir';
import { openExistingJournal } from '../open-existing-journal';

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export const reconcileCommand: CliCommand = {
  name: 'reconcile',
  summary: 'Match CloudTrail (and Terraform / Argo CD drift) against a ceremony journal, offline',
  usage:
    'breakglass reconcile --bundle FILE --cloudtrail FILE [--cloudtrail FILE ...] [--cloudtrail-digest FILE ... --cloudtrail-public-keys FILE] [--terraform-plan FILE] [--argocd FILE] [--json] [--attach [--data-dir DIR]]',
  options: {
    bundle: { type: 'string' },
    cloudtrail: { type: 'string', multiple: true },
    'cloudtrail-digest': { type: 'string', multiple: true },
    'cloudtrail-public-keys': { type: 'string' },
    'terraform-plan': { type: 'string' },
    argocd: { type: 'string' },
    json: { type: 'boolean' },
    attach: { type: 'boolean' },
    'data-dir': { type: 'string' },
  },
  run({ values }, io) {
    const bundle = requireString(values, 'bundle', reconcileCommand);
    const cloudtrail = Array.isArray(values.cloudtrail) ? values.cloudtrail.filter((f): f is string => typeof f === 'string' && f.length > 0) : [];
    if (cloudtrail.length === 0) throw new UserError(`--cloudtrail is required (\`aws cloudtrail lookup-events --output json\` pages, or the trail's S3 log files, .gz or not)\nusage: ${reconcileCommand.usage}`);
    const files = { bundle, cloudtrail } as Parameters<typeof readReconcileInputs>[0];
    const plan = optionalString(values['terraform-plan']);
    const argocd = optionalString(values.argocd);
    if (plan) files.terraformPlan = plan;
    const digests = Array.isArray(values['cloudtrail-digest']) ? values['cloudtrail-digest'].filter((f): f is string => typeof f === 'string' && f.length > 0) : [];
    if (digests.length) files.digests = digests;
    const keys = optionalString(values['cloudtrail-public-keys']);
    if (keys) files.publicKeys = keys;
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
