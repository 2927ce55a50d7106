import { EXIT_ATTENTION, EXIT_OK, defineCommand, requireString } from '../command';
import { DATA_DIR } from '../common-options';
import { readReconcileInputs } from '../../reconcile/read-inputs';
import { reconcile } from '../../reconcile/reconcile';
import { renderReconciliationText } from '../render-reconciliation-text';
import { attachReconciliation } from '../../reconcile/attach-reconciliation';
import { openJournal } from '../../journal/journal';
import { defaultDataDir } from '../../data-dir';
import { openExistingJournal } from '../open-existing-journal';
import { EVIDENCE_OPTIONS, readVerifiedBundle } from '../read-verified-bundle';

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export const reconcileCommand = defineCommand({
  name: 'reconcile',
  summary:
    'Match CloudTrail (and Terraform / Argo CD drift) against a ceremony journal, offline; the bundle is read through the evidence verifier.',
  options: {
    ...EVIDENCE_OPTIONS,
    bundle: { type: 'string', value: 'FILE', required: true, help: "the ceremony's exported bundle" },
    cloudtrail: {
      type: 'string',
      value: 'FILE',
      multiple: true,
      required: true,
      help: "`aws cloudtrail lookup-events --output json` pages, or the trail's S3 log files (.json or .json.gz, JSON lines too)",
    },
    'cloudtrail-digest': {
      type: 'string',
      value: 'FILE',
      multiple: true,
      help: "the trail's digest files, to validate the log files offline (signature beside each as FILE.sig or FILE.head.json)",
      default: 'none: integrity not checked',
    },
    'cloudtrail-public-keys': {
      type: 'string',
      value: 'FILE',
      help: '`aws cloudtrail list-public-keys --output json`, exported beforehand',
      default: 'none (required with --cloudtrail-digest)',
    },
    'terraform-plan': {
      type: 'string',
      value: 'FILE',
      help: '`terraform show -json` of a plan, for drift',
      default: 'none',
    },
    argocd: { type: 'string', value: 'FILE', help: '`argocd app list -o json`, for drift', default: 'none' },
    json: { type: 'boolean', help: 'print the result as JSON instead of text' },
    attach: { type: 'boolean', help: "record the result in the ceremony's journal, for the postmortem" },
    'data-dir': { ...DATA_DIR, help: 'with --attach: the directory holding the journal (and its config.yaml)' },
  },
  exitCodes: {
    0: 'clean: every change is declared in the journal and the bundle is INTACT with pinned keys',
    1: 'needs attention: undeclared changes, drift, or evidence short of INTACT (listed)',
  },
  example:
    'breakglass reconcile --bundle /tmp/bg-out/ID.bundle.json --cloudtrail events.json --attach --data-dir /tmp/bg',
  run({ values }, io) {
    const bundle = requireString(values, 'bundle', reconcileCommand);
    const cloudtrail = Array.isArray(values.cloudtrail)
      ? values.cloudtrail.filter((f): f is string => typeof f === 'string' && f.length > 0)
      : [];
    const files: Parameters<typeof readReconcileInputs>[0] = {
      bundle: readVerifiedBundle(bundle, values, io),
      cloudtrail,
    };
    const plan = optionalString(values['terraform-plan']);
    const argocd = optionalString(values.argocd);
    if (plan) files.terraformPlan = plan;
    const digests = Array.isArray(values['cloudtrail-digest'])
      ? values['cloudtrail-digest'].filter((f): f is string => typeof f === 'string' && f.length > 0)
      : [];
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
});
