import { createHash } from 'node:crypto';
import { canonicalize, type JsonObject } from '../../src-shared/canonical-json';
import type { Reconciliation } from './reconciliation-types';

/** hex SHA-256 of the canonical JSON of the reconciliation: what a `reconciliation_attached` entry pins. */
export function reconciliationSha256(r: Reconciliation): string {
  return createHash('sha256').update(canonicalize(r), 'utf8').digest('hex');
}

/**
 * Payload of the `reconciliation_attached` journal entry: the counts the quarterly review reads,
 * and hashes that tie them to the exact report and CloudTrail files.
 */
export function reconciliationAttachment(r: Reconciliation): JsonObject {
  return {
    report_sha256: reconciliationSha256(r),
    window: { start: r.window.start, end: r.window.end },
    cloudtrail_sha256: r.inputs.cloudtrail.map((c) => c.sha256),
    summary: {
      matched: r.matched.length,
      unexpected: r.unexpected.length,
      read_only: r.readOnly.length,
      declared_but_missing: r.declaredButMissing.length,
      declared_but_refused: r.declaredButRefused.length,
      cleanup_items: r.cleanup.length,
      failed_checks: r.checks.length,
      iam_users_created: r.iamUsersCreated.length,
      access_keys_created: r.accessKeysCreated.length,
      roles_with_attached_policies: r.rolesWithAttachedPolicies.length,
      terraform_orphans: r.terraformOrphans.length,
      terraform_in_state_changes: r.terraformInState.length,
      argocd_out_of_sync: r.argocdOutOfSync.length,
      sign_in_seen: r.ceremony_type === 'root-login' ? r.session.some((x) => x.eventName === 'ConsoleLogin') : null,
    },
    needs_attention: r.needsAttention.length > 0,
  };
}
