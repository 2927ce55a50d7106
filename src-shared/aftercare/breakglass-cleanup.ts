import type { ChecklistItem } from './checklist-item';

const H = 60;
const hour0to1 = { label: '0-1 h', opens_after_minutes: 0, due_after_minutes: 1 * H };
const hours = (label: string, from: number, to: number) => ({
  label,
  opens_after_minutes: from * H,
  due_after_minutes: to * H,
});

/**
 * breakglass-cleanup-runbook "The 24-hour clock": every step with the hour the runbook gives
 * it, inside its window (0-1 h, 1-4 h, 4-24 h). The clock starts at session start.
 */
export const BREAKGLASS_CLEANUP: readonly ChecklistItem[] = [
  {
    id: 'cleanup.session-log',
    title: 'Capture the session log',
    runbook: 'breakglass-cleanup-runbook Step 1 (hour 0-1)',
    window: hour0to1,
    evidence: {
      describe:
        'Link to the #bookstore-platform-status thread or session recording: every command with its time, approver and cleanup-owner',
      file: 'optional',
    },
  },
  {
    id: 'cleanup.verify-expiry',
    title: 'Verify the session expired',
    runbook: 'breakglass-cleanup-runbook Step 2 (hour 1-2)',
    window: hours('1-4 h', 1, 2),
    evidence: {
      describe:
        'Output of `vault list sys/leases/lookup/aws/sts/breakglass-emergency` (empty) and `aws iam get-access-key-last-used` (inactive / last used before expiry)',
      file: 'optional',
    },
    after_session_expiry: true,
  },
  {
    id: 'cleanup.inventory-cloudtrail',
    title: 'Inventory AWS changes from CloudTrail',
    runbook: 'breakglass-cleanup-runbook Step 3a (hour 1-3)',
    window: hours('1-4 h', 1, 3),
    evidence: {
      describe:
        'The saved `aws cloudtrail lookup-events --output json` file, cross-referenced with the session log; unexpected entries flagged',
      file: 'required',
    },
  },
  {
    id: 'cleanup.inventory-terraform',
    title: 'Terraform drift check',
    runbook: 'breakglass-cleanup-runbook Step 3b (hour 1-3)',
    window: hours('1-4 h', 1, 3),
    evidence: {
      describe: 'The plan checked, and for every resource it would destroy: imported into Terraform or deleted',
      file: 'optional',
    },
  },
  {
    id: 'cleanup.inventory-argocd',
    title: 'Argo CD drift check',
    runbook: 'breakglass-cleanup-runbook Step 3c (hour 1-3)',
    window: hours('1-4 h', 1, 3),
    evidence: { describe: 'Out-of-sync applications and, for each, committed to git or synced back', file: 'optional' },
  },
  {
    id: 'cleanup.inventory-secrets',
    title: 'Secrets inventory',
    runbook: 'breakglass-cleanup-runbook Step 3d (hour 1-3)',
    window: hours('1-4 h', 1, 3),
    evidence: {
      describe:
        'IAM users, access keys and other credentials created in the window, and for each: documented or deleted',
      file: 'optional',
    },
  },
  {
    id: 'cleanup.rotate',
    title: 'Rotate credentials touched by the session',
    runbook: 'breakglass-cleanup-runbook Step 4 (hour 2-3)',
    window: hours('1-4 h', 2, 3),
    evidence: {
      describe: 'Each secret rotated (RDS, Vault tokens, Stripe and other API keys, Cosign key, signed URLs) with when',
      file: 'optional',
    },
  },
  {
    id: 'cleanup.policies-detached',
    title: 'Confirm IAM policies are restored',
    runbook: 'breakglass-cleanup-runbook Step 5 (hour 3-4)',
    window: hours('1-4 h', 3, 4),
    evidence: {
      describe:
        '`aws iam list-attached-role-policies` for every role the session attached a policy to, and each extra policy detached or committed to Terraform',
      file: 'optional',
    },
  },
  {
    id: 'cleanup.postmortem',
    title: 'Write the postmortem',
    runbook: 'breakglass-cleanup-runbook Step 6 (hour 4-24)',
    window: hours('4-24 h', 4, 24),
    evidence: {
      describe:
        'The postmortem with the breakglass sections: why, blast radius, only what was needed, cleanup-owner sign-off',
      file: 'optional',
    },
  },
  {
    id: 'cleanup.alerting-action-item',
    title: 'File the standard-role / alerting action item',
    runbook: 'breakglass-cleanup-runbook Step 7 (action item)',
    window: hours('4-24 h', 4, 24),
    evidence: {
      describe: 'The Terraform PR that gives the standard role what was missing, or why the gap is not repeatable',
      file: 'optional',
    },
  },
  {
    id: 'cleanup.owner-signoff',
    title: 'Cleanup-owner sign-off',
    runbook: 'breakglass-cleanup-runbook Step 6: the cleanup-owner certifies Steps 2-5 are complete',
    window: hours('4-24 h', 4, 24),
    evidence: { describe: 'Sign-off by the cleanup owner named at the start of the ceremony', file: 'optional' },
    signoff_of: [
      'cleanup.verify-expiry',
      'cleanup.inventory-cloudtrail',
      'cleanup.inventory-terraform',
      'cleanup.inventory-argocd',
      'cleanup.inventory-secrets',
      'cleanup.rotate',
      'cleanup.policies-detached',
    ],
  },
];
