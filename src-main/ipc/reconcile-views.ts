import type { BreakglassConfig } from '../../src-shared/config/schema';
import type { ReconcileArgs, ReconcileTimelineItem, ReconcileView } from '../../src-shared/ipc/contract';
import { buildBundle } from '../bundle/build-bundle';
import { trustFingerprint } from '../evidence/trust-file';
import { verifiedBundleFromText } from '../evidence/verified-bundle';
import { listEnrolledKeys } from '../hardware-key/enrolment/enrolment-store';
import type { Journal } from '../journal/journal';
import { attachReconciliation } from '../reconcile/attach-reconciliation';
import { ReconcileInputError } from '../reconcile/input-error';
import { readReconcileInputs } from '../reconcile/read-inputs';
import { reconcile } from '../reconcile/reconcile';
import type { Reconciliation } from '../reconcile/reconciliation-types';
import { buildTimeline } from '../reconcile/timeline';
import { ok, refused, type Result } from '../../src-shared/result';
import {
  InputFileError,
  MAX_ARGOCD_BYTES,
  MAX_CLOUDTRAIL_BYTES,
  MAX_TERRAFORM_PLAN_BYTES,
  readRegularFileBytes,
} from '../fs/read-input-file';

/**
 * `breakglass reconcile` for the after-care screen: the live journal (as the bundle an export
 * would write, never written to disk) against the operator's CloudTrail / Terraform / Argo CD
 * files. With `attach`, the report is journalled exactly as `reconcile --attach` does.
 */
export async function reconcileCeremony(
  journal: Journal,
  ceremonyId: string,
  args: ReconcileArgs,
  clock: () => Date,
  config: BreakglassConfig,
): Promise<Result<ReconcileView>> {
  const unusable = await checkInputFiles(args);
  if (unusable) return unusable;
  const now = clock();
  const bundled = buildBundle(journal, ceremonyId, listEnrolledKeys(journal.db), now);
  if (!bundled.ok) return bundled;
  const built = bundled.value;
  const keys = listEnrolledKeys(journal.db).filter((k) =>
    built.bundle.keys.some((b) => b.credential_id === k.credential_id),
  );
  const verified = verifiedBundleFromText(built.text, `journal ${ceremonyId}`, {
    trust: keys.length ? { keys, fingerprint: trustFingerprint(keys) } : undefined,
    config,
    now,
  });
  let r: Reconciliation;
  let attached: ReturnType<typeof attachReconciliation> | null;
  try {
    const inputs = readReconcileInputs({
      bundle: verified,
      cloudtrail: args.cloudtrail,
      ...(args.terraform_plan ? { terraformPlan: args.terraform_plan } : {}),
      ...(args.argocd ? { argocd: args.argocd } : {}),
    });
    r = reconcile(inputs);
    attached = args.attach ? attachReconciliation(journal, r) : null;
  } catch (error) {
    // Named file and problem, for the form; nothing was journalled.
    if (error instanceof ReconcileInputError) return refusedInput(args, error);
    throw error;
  }
  return ok(reconcileView(r, buildTimeline(built.bundle, r), attached?.seq ?? null));
}

/** A refused input in the form's words: the CLI's flags are no part of this screen. */
function refusedInput(args: ReconcileArgs, error: ReconcileInputError): Result<never> {
  switch (error.code) {
    case 'no-cloudtrail':
      return refused('invalid-input', error.problem, { field: 'cloudtrail' });
    case 'ceremony-not-in-journal':
      return refused('invalid-input', `${error.message}: the app reconciles only the ceremonies of its own journal`);
    // The form takes no digests or public keys; their refusals are the CLI's (cli/classify-failure.ts).
    case 'digests-without-public-keys':
    case 'public-keys-without-digests':
    case undefined:
      return refused('invalid-input', error.message, fieldOfFile(args, error.file));
  }
}

/** The form field a refused file came from ("cloudtrail.1", "terraform_plan"), by the file's own path. */
function fieldOfFile(args: ReconcileArgs, file: string): { field: string } | undefined {
  const i = args.cloudtrail.indexOf(file);
  if (i >= 0) return { field: `cloudtrail.${i}` };
  if (file === args.terraform_plan) return { field: 'terraform_plan' };
  if (file === args.argocd) return { field: 'argocd' };
  return undefined;
}

/**
 * The paths come from the renderer: checked on libuv's thread pool first (regular files only,
 * capped), so a FIFO cannot freeze the main process nor /dev/zero exhaust it; the reading after
 * it refuses anything else too (readRegularFileBytesSync). Nothing is journalled when one is refused.
 */
async function checkInputFiles(args: ReconcileArgs): Promise<Result<never> | null> {
  const wanted: Array<[string, number, string]> = args.cloudtrail.map((f) => [
    f,
    MAX_CLOUDTRAIL_BYTES,
    'CloudTrail file',
  ]);
  if (args.terraform_plan) wanted.push([args.terraform_plan, MAX_TERRAFORM_PLAN_BYTES, 'Terraform plan JSON']);
  if (args.argocd) wanted.push([args.argocd, MAX_ARGOCD_BYTES, 'Argo CD app list']);
  try {
    for (const [file, maxBytes, what] of wanted) await readRegularFileBytes(file, { maxBytes, what });
  } catch (error) {
    if (error instanceof InputFileError) return refused('invalid-input', error.message, fieldOfFile(args, error.file));
    throw error;
  }
  return null;
}

function reconcileView(
  r: Reconciliation,
  timeline: ReturnType<typeof buildTimeline>,
  attachedSeq: number | null,
): ReconcileView {
  const declaredSeqOf = new Map(r.matched.map((m) => [m.eventId, m.declaredSeq]));
  const confirmedBy = new Map<number, string[]>();
  for (const m of r.matched) confirmedBy.set(m.declaredSeq, [...(confirmedBy.get(m.declaredSeq) ?? []), m.eventId]);
  const items: ReconcileTimelineItem[] = timeline.map((t) => {
    const item: ReconcileTimelineItem = { at: t.at, source: t.source, label: t.label, mark: t.mark };
    if (t.seq !== undefined) item.seq = t.seq;
    if (t.eventId !== undefined) item.eventId = t.eventId;
    const declared = t.eventId !== undefined ? declaredSeqOf.get(t.eventId) : undefined;
    if (t.source === 'cloudtrail' && declared !== undefined) item.declared_seq = declared;
    const confirmed = t.source === 'journal' && t.seq !== undefined ? confirmedBy.get(t.seq) : undefined;
    if (confirmed) item.confirmed_by = confirmed;
    return item;
  });
  return {
    ceremony_id: r.ceremony_id,
    principal: r.principal,
    window: { ...r.window },
    needs_attention: [...r.needsAttention],
    counts: {
      matched: r.matched.length,
      unexpected: r.unexpected.length,
      readOnly: r.readOnly.length,
      declaredButMissing: r.declaredButMissing.length,
      iamUsersCreated: r.iamUsersCreated.length,
      accessKeysCreated: r.accessKeysCreated.length,
      rolesWithAttachedPolicies: r.rolesWithAttachedPolicies.length,
      terraformOrphans: r.terraformOrphans.length,
      argocdOutOfSync: r.argocdOutOfSync.length,
    },
    timeline: items,
    attached_seq: attachedSeq,
  };
}
